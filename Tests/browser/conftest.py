"""Starts `prongsai serve --demo` on a free port and a headless Chromium to drive it."""
import base64
import hashlib
import hmac
import os
import re
import struct
import subprocess
import tempfile
import time
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from http_client import free_port  # noqa: F401 (tests import it from here)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("PRONGSAI_BIN", os.path.join(ROOT, ".build", "debug", "prongsai"))
SHOTS = os.environ.get("PRONGSAI_SCREENSHOTS", os.path.join(ROOT, ".build", "screenshots"))


def start_server(database=None, port=None, extra=()):
    """`prongsai serve --demo` in a fresh folder; returns (process, url, accounts)."""
    port = port or free_port()
    workdir = tempfile.mkdtemp(prefix="prongsai-system-")
    env = dict(os.environ)
    env.pop("PRONGSAI_DATABASE_URL", None)
    args = [BIN, "serve", "--demo", "--port", str(port), *extra]
    if database:
        args += ["--database", database]
    proc = subprocess.Popen(args, cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    accounts = {}
    deadline = time.time() + 60
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        m = re.match(r"\s+(\w+)\s+(\w{12})\s+\(", line)
        if m:
            accounts[m.group(1)] = m.group(2)
        if "Server started" in line or len(accounts) == 5:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
    assert "officer" in accounts, "the demo prints its accounts at start-up"
    return proc, f"http://127.0.0.1:{port}", accounts


@pytest.fixture(scope="session")
def server():
    proc, url, accounts = start_server()
    yield {"url": url, "accounts": accounts}
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    options = Options()
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=th"]:
        options.add_argument(arg)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(3)
    os.makedirs(SHOTS, exist_ok=True)
    yield driver
    driver.quit()


def shot(driver, name, width=1280):
    """A full-page screenshot at the given width, saved for a person to look at."""
    driver.set_window_size(width, 1000)
    driver.save_screenshot(os.path.join(SHOTS, name + "-top.png"))
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(max(height, 600), 6000))
    path = os.path.join(SHOTS, name + ".png")
    driver.save_screenshot(path)
    driver.set_window_size(1280, 1000)
    return path


def password_step(browser, server, username):
    """Types the account's password into the real sign-in form and waits until the browser has moved on
    (to the app, or to the two-factor code page)."""
    browser.delete_all_cookies()
    browser.get(server["url"] + "/login")
    browser.find_element(By.ID, "username").send_keys(username)
    browser.find_element(By.ID, "password").send_keys(server["accounts"][username])
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda d: not d.current_url.endswith("/login"))


def sign_in(browser, server, username):
    """Signs in through the real form and waits until the browser has left the sign-in page."""
    password_step(browser, server, username)
    WebDriverWait(browser, 10).until(lambda d: "/login" not in d.current_url)


def totp(secret_b32, at=None, step_offset=0):
    """RFC 6238 with HMAC-SHA1, 30-second steps, 6 digits, written from the RFC (independent of Prongsai's)."""
    padded = secret_b32 + "=" * (-len(secret_b32) % 8)
    key = base64.b32decode(padded)
    counter = int((at or time.time()) // 30) + step_offset
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return "%06d" % (value % 1_000_000)


def enrol_two_factor(browser):
    """On the enrolment page: types the key's current code, returns (secret, recovery codes)."""
    secret = browser.find_element(By.CSS_SELECTOR, "[data-testid=two-factor-key]").text.replace(" ", "")
    browser.find_element(By.ID, "enrol-code").send_keys(totp(secret))
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    codes = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "[data-testid=recovery-codes] li code")]
    return secret, codes
