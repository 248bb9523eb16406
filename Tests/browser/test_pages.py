"""The pages as a person sees them, in headless Chromium."""
import os

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import shot, sign_in


def test_wrong_password_is_refused_in_thai(browser, server):
    browser.delete_all_cookies()
    browser.get(server["url"] + "/login")
    browser.find_element(By.ID, "username").send_keys("officer")
    browser.find_element(By.ID, "password").send_keys("wrong")
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in browser.find_element(By.CSS_SELECTOR, ".alert").text
    shot(browser, "login-failed")


def test_dashboard_shows_the_reference_case(browser, server):
    sign_in(browser, server, "officer")
    # Someone working for one agency lands on its current year straight away.
    assert browser.current_url.endswith("/agencies/banpong/2566"), browser.current_url
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=ita-score]").text == "95.35"
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=level]").text == "ผ่าน"
    body = browser.find_element(By.TAG_NAME, "body").text
    for figure in ["97.82", "88.35", "94.96", "81.73", "98.75", "87.50", "97.50"]:
        assert figure in body, figure
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.chart")) == 3
    shot(browser, "dashboard")
    # Phone width: nothing overflows sideways.
    browser.set_window_size(390, 844)
    overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than a phone"
    shot(browser, "dashboard-phone", width=390)


def test_items_page_and_what_if(browser, server):
    sign_in(browser, server, "officer")
    browser.get(server["url"] + "/agencies/banpong/2566/items")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.items tbody tr:not(.topic)")
    assert len(rows) == 43
    # The report's topic headings, each just before its first item.
    topics = [t.text for t in browser.find_elements(By.CSS_SELECTOR, "table.items tr.topic")]
    assert topics == ["การดำเนินงาน", "การจัดซื้อจัดจ้างหรือการจัดหาพัสดุ", "การบริหารทรัพยากรบุคคล",
                      "การจัดการเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ", "นโยบาย No Gift Policy",
                      "มาตรการเสริมสร้างมาตรฐานทางจริยธรรม"]
    after = browser.find_element(By.XPATH, "//tr[@class='topic'][th='นโยบาย No Gift Policy']/following-sibling::tr[1]")
    assert after.get_attribute("id") == "O31"
    o13 = browser.find_element(By.ID, "O13")
    assert "รายงานผลการดำเนินงานประจำปี" in o13.text
    shot(browser, "items")
    browser.get(server["url"] + "/agencies/banpong/2566/what-if")
    box = browser.find_element(By.CSS_SELECTOR, "input[name=pass][value=O13]")
    assert not box.is_selected()
    box.click()
    browser.find_element(By.CSS_SELECTOR, "form.card button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda d: "run=1" in d.current_url)
    table = browser.find_element(By.CSS_SELECTOR, "[data-testid=what-if-result]").text
    assert "95.85" in table and "+0.50" in table
    shot(browser, "what-if")


def test_english_switch(browser, server):
    sign_in(browser, server, "viewer")
    browser.get(server["url"] + "/agencies/banpong/2566")
    browser.find_element(By.LINK_TEXT, "English").click()
    WebDriverWait(browser, 10).until(lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en")
    assert "ITA score" in browser.find_element(By.TAG_NAME, "body").text
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    shot(browser, "dashboard-en")
    browser.find_element(By.LINK_TEXT, "ภาษาไทย").click()
    WebDriverWait(browser, 10).until(lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "th")


def record_published(browser, server, item, result, source):
    """Records an item's published result through the form on the published-scores page."""
    from selenium.webdriver.support.ui import Select
    browser.get(server["url"] + "/agencies/banpong/2566/results")
    Select(browser.find_element(By.ID, "p-item")).select_by_value(item)
    Select(browser.find_element(By.ID, "p-result")).select_by_value(result)
    browser.find_element(By.ID, "p-source").send_keys(source)
    browser.find_element(By.CSS_SELECTOR, "#published-items button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda d: "saved=" + item in d.current_url)


def test_history_shows_the_change(browser, server):
    sign_in(browser, server, "officer")
    browser.get(server["url"] + "/agencies/banpong/2566/items")
    assert not browser.find_elements(By.CSS_SELECTOR, "select[name=result]"), "no one-click result on the item list"
    record_published(browser, server, "O5", "fail", "https://itas.example.go.th/2566/banpong")
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=published-O5]").text == "ไม่ผ่าน"
    browser.get(server["url"] + "/agencies/banpong/2566/history")
    first = browser.find_element(By.CSS_SELECTOR, "table.history tbody tr").text
    assert "บันทึกผลที่ประกาศ O5" in first and "ผ่าน → ไม่ผ่าน" in first and "officer" in first, first
    assert "https://itas.example.go.th/2566/banpong" in first
    shot(browser, "history")
    browser.get(server["url"] + "/agencies/banpong/2566/items")
    assert "ผลที่ประกาศ" in browser.find_element(By.ID, "O5").text
    # Put it back so other pages keep the reference figures.
    record_published(browser, server, "O5", "pass", "https://itas.example.go.th/2566/banpong")
    browser.get(server["url"] + "/agencies/banpong/2566")
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=ita-score]").text == "95.35"


def test_poster_prints_a_readable_qr(browser, server):
    import subprocess
    from http_client import Client
    officer = Client(server["url"])
    officer.sign_in("officer", server["accounts"]["officer"])
    path = officer.open_survey("iit")
    sign_in(browser, server, "officer")
    browser.get(server["url"] + "/agencies/banpong/2566/surveys/iit/poster")
    assert "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน" in browser.find_element(By.TAG_NAME, "body").text
    browser.set_window_size(820, 1160)
    png = shot(browser, "poster", width=820)
    decoded = subprocess.run(["zbarimg", "--raw", "-q", png], capture_output=True, text=True)
    assert decoded.stdout.strip().endswith(path), decoded.stdout
    browser.get(server["url"] + "/agencies/banpong/2566/surveys")
    shot(browser, "surveys")


def test_assessor_types_a_questionnaire_without_the_mouse(browser, server):
    sign_in(browser, server, "assessor")
    browser.get(server["url"] + "/agencies/banpong/2566/surveys/eit2/entry")
    first = browser.switch_to.active_element
    assert first.get_attribute("name") == "e1", "the first answer has the focus"
    # e4 is yes/no; e8 and e10 are yes/no.
    for key in "443n4" + "33y4y" + "34444":
        browser.switch_to.active_element.send_keys(key)
    assert browser.switch_to.active_element.tag_name == "button", "each keystroke moved on"
    browser.switch_to.active_element.click()
    WebDriverWait(browser, 10).until(lambda d: "saved=" in d.current_url)
    assert "บันทึกแล้ว" in browser.find_element(By.CSS_SELECTOR, "[data-testid=saved]").text
    shot(browser, "entry")


def test_item_page_with_evidence(browser, server, tmp_path):
    sign_in(browser, server, "officer")
    browser.get(server["url"] + "/agencies/banpong/2566/items/O13")
    browser.find_element(By.CSS_SELECTOR, "input[name=component][value='0']").click()
    browser.find_element(By.ID, "links").send_keys("https://www.tambonbanpong.go.th/report-2565")
    browser.find_element(By.ID, "explanation").send_keys("รายงานผลการดำเนินงานประจำปี 2565")
    pdf = tmp_path / "รายงาน.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
    browser.find_element(By.ID, "file").send_keys(str(pdf))
    browser.find_element(By.CSS_SELECTOR, "form[enctype] button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda d: "saved=evidence" in d.current_url)
    text = browser.find_element(By.TAG_NAME, "body").text
    assert "ฉบับที่ 1" in text and "รายงาน.pdf" in text
    shot(browser, "item")


def test_public_transparency_page(browser, server):
    browser.delete_all_cookies()
    browser.get(server["url"] + "/t/banpong/2566")
    rows = browser.find_elements(By.CSS_SELECTOR, "tr[id^=O]")
    assert [r.get_attribute("id") for r in rows] == [f"O{n}" for n in range(1, 44)]
    shot(browser, "transparency")
