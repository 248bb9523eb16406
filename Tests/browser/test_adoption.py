"""From an empty install to a first EIT answer, as a new agency would do it, in headless Chromium."""
import json
import os
import re
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import BIN, enrol_two_factor, free_port, shot


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def empty():
    folder = tempfile.mkdtemp(prefix="prongsai-empty-")
    database = "sqlite:" + os.path.join(folder, "agency.sqlite")
    port = free_port()
    env = dict(os.environ)
    env.pop("PRONGSAI_DATABASE_URL", None)
    proc = subprocess.Popen([BIN, "serve", "--database", database, "--port", str(port), "--release-every", "1"],
                            cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    banner = []
    deadline = time.time() + 60
    while time.time() < deadline:
        line = proc.stdout.readline()
        banner.append(line)
        if "admin create" in line:
            break
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    yield {"url": url, "database": database, "folder": folder, "banner": "".join(banner)}
    proc.terminate()
    proc.wait(timeout=10)


def sign_in(browser, url, username, password):
    browser.delete_all_cookies()
    browser.get(url + "/login")
    browser.find_element(By.ID, "username").send_keys(username)
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda d: "/login" not in d.current_url)


def fill(browser, field_id, value):
    element = browser.find_element(By.ID, field_id)
    element.clear()
    element.send_keys(value)


def test_empty_install_to_first_eit_answer(browser, empty):
    url = empty["url"]
    assert "prongsai admin create" in empty["banner"], "serve says how to create the first administrator"
    # 1. Nobody can sign in yet: one page says what to do.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url + "/login")
    assert refused.value.code == 503
    browser.get(url + "/")
    assert "prongsai admin create" in browser.find_element(By.CSS_SELECTOR, "[data-testid=setup]").text
    shot(browser, "adoption-setup")

    # 2. The first administrator, from the command line (the password is printed once).
    created = run("admin", "create", "--database", empty["database"], "--username", "chief", "--display-name", "ผู้ดูแลระบบ อบต.หนองบัว")
    assert created.returncode == 0, created.stderr
    admin_password = re.search(r"Password \(shown only now\): (\S+)", created.stdout).group(1)
    sign_in(browser, url, "chief", admin_password)
    # An administrator enrols in two-factor sign-in before anything else (required outside the demo).
    assert browser.current_url.endswith("/account/two-factor")
    _, recovery = enrol_two_factor(browser)
    assert len(recovery) == 10
    browser.get(url + "/agencies")

    # 3. The agency, a division and an officer.
    browser.find_element(By.CSS_SELECTOR, "[data-testid=add-agency]").click()
    fill(browser, "f-code", "nongbua")
    fill(browser, "f-name_th", "องค์การบริหารส่วนตำบลหนองบัว")
    fill(browser, "f-name_en", "Nong Bua Subdistrict Administrative Organization")
    fill(browser, "f-province", "อุดรธานี")
    fill(browser, "f-district", "เมืองอุดรธานี")
    Select(browser.find_element(By.ID, "f-type")).select_by_value("อบต.")
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    assert "nongbua" in browser.find_element(By.CSS_SELECTOR, "[data-testid=created]").text
    shot(browser, "adoption-agencies")
    browser.get(url + "/agencies/nongbua/divisions")
    fill(browser, "d-code", "palad")
    fill(browser, "d-th", "สำนักปลัด")
    browser.find_element(By.CSS_SELECTOR, "section.card:last-of-type button[type=submit]").click()
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=division-palad]")
    browser.get(url + "/admin/users")
    fill(browser, "u-username", "ita.officer")
    fill(browser, "u-name", "นางสาวใจดี รักงาน")
    Select(browser.find_element(By.ID, "u-agency")).select_by_visible_text("องค์การบริหารส่วนตำบลหนองบัว")
    Select(browser.find_element(By.ID, "u-role")).select_by_value("officer")
    browser.find_element(By.CSS_SELECTOR, "section.card:last-of-type button[type=submit]").click()
    temporary = browser.find_element(By.CSS_SELECTOR, "[data-testid=temporary-password]").text
    shot(browser, "adoption-user-created")

    # 4. The officer signs in with the temporary password and must choose a new one first.
    sign_in(browser, url, "ita.officer", temporary)
    assert browser.current_url.endswith("/account")
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=must-change]")
    fill(browser, "current", temporary)
    fill(browser, "new", "password1234")
    fill(browser, "again", "password1234")
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    assert "ถูกใช้บ่อย" in browser.find_element(By.ID, "password-error").text
    fill(browser, "current", temporary)
    fill(browser, "new", "นาข้าวเขียวขจี 2570")
    fill(browser, "again", "นาข้าวเขียวขจี 2570")
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda d: "saved=1" in d.current_url)
    shot(browser, "adoption-account")

    # 5. The officer imports the year's framework (a 26-item OIT list from a sheet) and starts the year.
    sheet = os.path.join(empty["folder"], "oit-2570.csv")
    with open(sheet, "w", encoding="utf-8", newline="") as out:
        import csv
        writer = csv.writer(out)
        writer.writerow(["indicator", "indicator_name", "subindicator", "subindicator_name", "topic", "item", "title", "components"])
        for n in range(1, 27):
            sub = "9.1" if n <= 13 else "10.1"
            writer.writerow([sub.split(".")[0], "", sub, "ข้อมูลพื้นฐาน" if n <= 13 else "การป้องกันการทุจริต", "", f"O{n}", f"ข้อมูลข้อที่ {n}", f"องค์ประกอบของข้อ {n}"])
    browser.get(url + "/agencies/nongbua/new-year")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=import-framework]").click()
    forms = browser.find_elements(By.CSS_SELECTOR, "form[enctype='multipart/form-data']")
    sheet_form = forms[1]
    Select(sheet_form.find_element(By.ID, "fw-base")).select_by_value("ita-2566")
    fill(browser, "fw-id", "ita-2570-test")
    fill(browser, "fw-year", "2570")
    sheet_form.find_element(By.ID, "fw-sheet").send_keys(sheet)
    sheet_form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    assert "ita-2570-test" in browser.find_element(By.CSS_SELECTOR, "[data-testid=framework-imported]").text
    browser.get(url + "/agencies/nongbua/new-year")
    fill(browser, "y-year", "2570")
    Select(browser.find_element(By.ID, "y-framework")).select_by_value("ita-2570-test")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=start-year]").click()
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("/agencies/nongbua/2570"))
    shot(browser, "adoption-dashboard")

    # 6. O1 goes to สำนักปลัด.
    browser.get(url + "/agencies/nongbua/2570/items/O1")
    Select(browser.find_element(By.ID, "division")).select_by_visible_text("สำนักปลัด")
    browser.find_element(By.CSS_SELECTOR, "form.window button[type=submit]").click()
    browser.get(url + "/agencies/nongbua/2570/items/O1")
    assert Select(browser.find_element(By.ID, "division")).first_selected_option.text == "สำนักปลัด"

    # 7. EIT part 1 opens; a service user answers through the public link.
    browser.get(url + "/agencies/nongbua/2570/surveys")
    card = browser.find_element(By.ID, "eit1")
    for name, value in [("opens", "2026-10-01"), ("closes", "2027-09-30")]:
        field = card.find_element(By.NAME, name)
        browser.execute_script("arguments[0].value = arguments[1]", field, value)
    population = card.find_element(By.NAME, "population")
    population.clear()
    population.send_keys("300")
    card.find_element(By.CSS_SELECTOR, "form.window button[type=submit]").click()
    link = browser.find_element(By.CSS_SELECTOR, "[data-testid=link-eit1]").text
    shot(browser, "adoption-surveys")
    browser.delete_all_cookies()
    browser.get(link)
    for group in browser.find_elements(By.CSS_SELECTOR, "fieldset"):
        options = group.find_elements(By.CSS_SELECTOR, "input[type=radio]")
        if options:
            browser.execute_script("arguments[0].click()", options[-1])
    # The sticky progress bar sits over the button at the page's foot: click it as a script would.
    browser.execute_script("arguments[0].click()", browser.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
    WebDriverWait(browser, 10).until(lambda d: "/thanks" in d.current_url)
    assert "ขอบคุณ" in browser.find_element(By.TAG_NAME, "main").text
    shot(browser, "adoption-thanks")
