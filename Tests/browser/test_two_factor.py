"""Two-factor sign-in in the real browser, on a server that requires it for administrators: the QR code on the
enrolment page is read by zbarimg from a screenshot, and the codes come from Python's own TOTP (RFC 6238),
independent of Prongsai's."""
import base64
import os
import subprocess
import tempfile
import time
import urllib.parse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import password_step, shot, start_server, totp
from test_accessibility import describe, violations


def test_rfc_vector():
    # RFC 6238 appendix B, T = 59 s: 94287082 (8 digits), so 287082 in 6.
    assert totp(base64.b32encode(b"12345678901234567890").decode(), at=59) == "287082"


@pytest.fixture(scope="module")
def required_server():
    proc, url, accounts = start_server(extra=["--two-factor", "required"])
    yield {"url": url, "accounts": accounts}
    proc.terminate()
    proc.wait(timeout=10)


def decode_qr(browser, selector):
    element = browser.find_element(By.CSS_SELECTOR, selector)
    path = os.path.join(tempfile.mkdtemp(), "qr.png")
    element.screenshot(path)
    out = subprocess.run(["zbarimg", "--quiet", "--raw", path], capture_output=True, text=True)
    assert out.returncode == 0, "zbarimg read no QR code from the enrolment page"
    return out.stdout.strip()


def test_enrol_with_the_qr_code_then_sign_in_with_a_code(browser, required_server):
    server = required_server
    password_step(browser, server, "admin")
    # The administrator is sent to enrol before anything else.
    assert browser.current_url.endswith("/account/two-factor")
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=two-factor-required]").is_displayed()
    found = violations(browser)
    assert not found, describe(found)
    shot(browser, "two-factor-enrol")
    uri = decode_qr(browser, "[data-testid=two-factor-qr] svg")
    parsed = urllib.parse.urlparse(uri)
    assert parsed.scheme == "otpauth" and parsed.netloc == "totp"
    assert urllib.parse.unquote(parsed.path) == "/Prongsai:admin"
    query = urllib.parse.parse_qs(parsed.query)
    assert query["issuer"] == ["Prongsai"] and query["digits"] == ["6"] and query["period"] == ["30"] and query["algorithm"] == ["SHA1"]
    secret = query["secret"][0]
    # The key typed by hand is the same secret.
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=two-factor-key]").text.replace(" ", "") == secret

    # A wrong code is refused with a Thai message; the right one shows the recovery codes once.
    browser.find_element(By.ID, "enrol-code").send_keys("000000" if totp(secret) != "000000" else "111111")
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    assert "รหัสจากแอปไม่ถูกต้อง" in browser.find_element(By.CSS_SELECTOR, "[data-testid=two-factor-error]").text
    browser.find_element(By.ID, "enrol-code").send_keys(totp(secret))
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    codes = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "[data-testid=recovery-codes] li code")]
    assert len(codes) == 10 and len(set(codes)) == 10
    shot(browser, "two-factor-recovery-codes")
    browser.get(server["url"] + "/agencies")
    assert browser.current_url.endswith("/agencies"), "enrolled: the app opens"

    # Next sign-in: the password, then the code from the app (the next time step: the enrolment's is spent).
    password_step(browser, server, "admin")
    assert browser.current_url.endswith("/login/code")
    found = violations(browser)
    assert not found, describe(found)
    shot(browser, "two-factor-code", width=390)
    browser.find_element(By.ID, "code").send_keys(totp(secret, step_offset=1))
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda d: "/login" not in d.current_url)
    assert "/agencies" in browser.current_url

    # A recovery code, typed in lower case without dashes, signs in once.
    password_step(browser, server, "admin")
    browser.find_element(By.ID, "code").send_keys(codes[0].replace("-", "").lower())
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda d: "/login" not in d.current_url)
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=recovery-left]").text == "9"
    password_step(browser, server, "admin")
    browser.find_element(By.ID, "code").send_keys(codes[0])
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=code-error]").is_displayed()
    assert "/login/code" in browser.current_url
