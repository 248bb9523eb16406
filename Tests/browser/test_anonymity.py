"""Survey anonymity seen from outside: the log holds no code or answer at debug level, and a slip's link
carries its code in the fragment, which the page moves into the form."""
import os
import re
import subprocess
import tempfile
import threading
import time

from selenium.webdriver.common.by import By

from conftest import free_port, shot, start_server
from http_client import Client, iit_answers


def test_debug_log_holds_no_code_and_no_answer():
    os.environ["PRONGSAI_LOG_LEVEL"] = "debug"
    try:
        folder = tempfile.mkdtemp(prefix="prongsai-log-")
        proc, url, accounts = start_server("sqlite:" + os.path.join(folder, "log.sqlite"), free_port(), ["--release-every", "1"])
    finally:
        del os.environ["PRONGSAI_LOG_LEVEL"]
    lines = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True)
    reader.start()
    try:
        officer = Client(url)
        officer.sign_in("officer", accounts["officer"])
        path = officer.open_survey("iit", population="57")
        officer.request("GET", "/agencies/banpong/2566/surveys")
        assert officer.request("POST", "/agencies/banpong/2566/surveys/iit/codes", {"_csrf": officer.csrf(), "count": "6"}).status == 303
        officer.request("GET", "/agencies/banpong/2566/surveys/iit/codes.csv")
        codes = [line.split(",")[0] for line in officer.body.strip().splitlines()[1:]]
        assert len(codes) == 6
        submissions = []
        for index, code in enumerate(codes):
            person = Client(url)
            person.request("GET", path)
            person.request("POST", path, {"step": "code", "code": code})
            submission = re.search(r'name="submission" value="([0-9a-f]+)"', person.body).group(1)
            submissions.append(submission)
            assert person.request("POST", path, {"submission": submission, "code": code, **iit_answers(index)}).status == 303
        # A code refused (spent) and one unknown: their handling logs nothing about them either.
        person = Client(url)
        person.request("GET", path)
        assert person.request("POST", path, {"step": "code", "code": codes[0]}).status == 422
        assert person.request("POST", path, {"step": "code", "code": "ZZZZ-ZZZZ"}).status == 422
        deadline = time.time() + 15
        while time.time() < deadline:
            officer.request("GET", "/agencies/banpong/2566/surveys.json")
            if '"id":"iit","responses":6' in officer.body:
                break
            time.sleep(0.3)
        assert '"id":"iit","responses":6' in officer.body, officer.body
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        reader.join(timeout=5)
    log = "".join(lines)
    assert "debug" in log, "the server really logged at debug level"
    assert "released a batch of survey answers" in log
    for code in codes:
        assert code not in log and code.replace("-", "") not in log, f"code {code} in the log"
    for submission in submissions:
        assert submission not in log
    for question in ("i1a", "i26a", "i30d"):
        assert question not in log, f"an answer ({question}) in the log"
    assert "survey_pending" not in log and "survey_codes" not in log, "no SQL in the log"


def test_slip_link_fills_the_code_from_the_fragment(server, browser):
    officer = Client(server["url"])
    officer.sign_in("officer", server["accounts"]["officer"])
    path = officer.open_survey("iit", population="57")
    officer.request("GET", "/agencies/banpong/2566/surveys")
    assert officer.request("POST", "/agencies/banpong/2566/surveys/iit/codes", {"_csrf": officer.csrf(), "count": "3"}).status == 303
    officer.request("GET", "/agencies/banpong/2566/surveys/iit/codes.csv")
    code, link = officer.body.strip().splitlines()[1].split(",")
    assert link.endswith(path + "#c=" + code), link
    browser.delete_all_cookies()
    browser.get(server["url"] + path + "#c=" + code)
    field = browser.find_element(By.ID, "code")
    assert field.get_attribute("value") == code
    assert browser.execute_script("return location.hash") == "", "the code leaves the address bar"
    shot(browser, "survey-code-from-fragment", 390)
    # Switching language keeps the code, still in the fragment.
    browser.find_element(By.ID, "other-language").click()
    time.sleep(0.5)
    assert browser.find_element(By.ID, "code").get_attribute("value") == code
    assert "c=" not in browser.execute_script("return location.search")
    # An old slip (?c=) lands on the same form, with the code moved to the fragment.
    browser.get(server["url"] + path + "?c=" + code)
    assert browser.find_element(By.ID, "code").get_attribute("value") == code
    assert "c=" not in browser.current_url
