"""axe-core accessibility checks in the real browser, on the pages people use most."""
from axe_selenium_python import Axe
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import shot, sign_in
from http_client import Client


def violations(browser):
    axe = Axe(browser)
    axe.inject()
    results = axe.run()
    return [v for v in results["violations"] if v["impact"] in ("serious", "critical")]


def describe(found):
    return "\n".join(f'{v["id"]} ({v["impact"]}): {v["help"]} — {[(n["target"], n.get("failureSummary")) for n in v["nodes"][:2]]}' for v in found)


def test_login_page(browser, server):
    browser.delete_all_cookies()
    browser.get(server["url"] + "/login")
    found = violations(browser)
    assert not found, describe(found)


def test_officer_pages(browser, server):
    sign_in(browser, server, "officer")
    for path in ["", "/items", "/items/O13", "/results", "/what-if", "/surveys", "/history", "/analysis", "/measures", "/documents", "/documents/print"]:
        browser.get(server["url"] + "/agencies/banpong/2566" + path)
        found = violations(browser)
        assert not found, path + "\n" + describe(found)


def test_survey_form_on_a_phone(browser, server):
    officer = Client(server["url"])
    officer.sign_in("officer", server["accounts"]["officer"])
    path = officer.open_survey("eit1")
    browser.delete_all_cookies()
    browser.set_window_size(390, 844)
    browser.get(server["url"] + path)
    assert browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth") <= 0
    found = violations(browser)
    assert not found, describe(found)
    # Touch targets: every answer choice is at least 44 px high.
    heights = browser.execute_script("return [...document.querySelectorAll('label.opt')].map(e => e.getBoundingClientRect().height)")
    assert heights and min(heights) >= 44, min(heights)
    # Keyboard only: tab to the first choice and pick it with the space bar.
    first = browser.find_element(By.CSS_SELECTOR, "input[type=radio]")
    first.send_keys(" ")
    assert first.is_selected()
    assert browser.find_element(By.ID, "done").text == "1"
    shot(browser, "survey-phone", width=390)
    browser.set_window_size(1280, 1000)
