"""The open API against a live `prongsai serve --demo` (issue 16): a token made on the signed-in token page,
then schemathesis with every check over the served `/api/openapi.yaml` (public reads and, with the token,
the officer's writes). Schemathesis must finish with no failure."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

from conftest import start_server
from http_client import Client


def make_token(url, accounts, name="schemathesis"):
    """Signs in as the demo's ITA officer and makes a token for every agency offered; returns it."""
    c = Client(url)
    c.sign_in("officer", accounts["officer"])
    c.request("GET", "/account/tokens")
    agencies = re.findall(r'name="agency" value="([^"]+)"', c.body)
    assert agencies, "the officer is offered their agency"
    r = c.request("POST", "/account/tokens", [("_csrf", c.csrf()), ("name", name)] + [("agency", a) for a in agencies])
    assert r.status == 200, r.status
    m = re.search(r'data-testid="token-value">(prongsai_[0-9a-f]{64})<', c.body)
    assert m, "the token is shown once"
    return m.group(1)


def make_round(url, accounts):
    """A round with the demo agency, made by the administrator on the rounds page; returns its id."""
    c = Client(url)
    c.sign_in("admin", accounts["admin"])
    c.request("GET", "/admin/rounds")
    r = c.request("POST", "/admin/rounds", [("_csrf", c.csrf()), ("title", "ITA 2566"), ("year", "2566"), ("framework", "ita-2566")])
    assert r.status == 303, r.status
    path = r.getheader("Location")
    c.request("GET", path)
    r = c.request("POST", path + "/agencies", [("_csrf", c.csrf()), ("codes", "banpong")])
    assert r.status == 303, r.status
    return path.rsplit("/", 1)[1]


def schemathesis():
    found = shutil.which("schemathesis")
    return [found] if found else [sys.executable, "-m", "schemathesis.cli"]


def test_schemathesis_finds_no_failure():
    proc, url, accounts = start_server()
    try:
        token = make_token(url, accounts)
        round_id = make_round(url, accounts)
        with tempfile.TemporaryDirectory() as folder:
            # The round has no stable id: it is given; every other parameter is generated (the document's
            # examples name the demo agency and year).
            config = os.path.join(folder, "schemathesis.toml")
            with open(config, "w") as f:
                f.write('[parameters]\n"path.round" = "%s"\n' % round_id)
            run = subprocess.run(
                schemathesis() + ["--config-file", config, "--no-color", "run", url + "/api/openapi.yaml", "--checks", "all",
                                  "-H", "Authorization: Bearer " + token, "--max-examples", os.environ.get("PRONGSAI_API_EXAMPLES", "60"),
                                  "--workers", "1", "--seed", "2566", "--report", "junit", "--report-dir", folder],
                capture_output=True, text=True, timeout=900)
            print(run.stdout[-6000:])
            assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
            assert "failed" not in run.stdout.split("SUMMARY")[-1].lower() or " 0 failed" in run.stdout
        # The token still works after the run, and the document is served as the repository holds it.
        c = Client(url)
        r = c.request("GET", "/api/openapi.yaml")
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        with open(os.path.join(root, "Sources", "ProngsaiAPI", "openapi.yaml"), encoding="utf-8") as f:
            assert c.body == f.read()
        assert r.status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_token_page_in_the_browser(browser, server):
    """The officer makes a token on the page in Chromium (Thai, accessible), uses it, and revokes it."""
    import json
    import urllib.error
    import urllib.request

    from selenium.webdriver.common.by import By

    from conftest import shot, sign_in
    from test_accessibility import describe, violations

    def me(token):
        request = urllib.request.Request(server["url"] + "/api/v1/me", headers={"Authorization": "Bearer " + token})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    sign_in(browser, server, "officer")
    browser.get(server["url"] + "/account")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=api-tokens-link]").click()
    assert browser.current_url.endswith("/account/tokens")
    assert "โทเค็น API" in browser.page_source
    found = violations(browser)
    assert not found, describe(found)
    browser.find_element(By.ID, "token-name").send_keys("ระบบสารบรรณ")
    box = browser.find_element(By.CSS_SELECTOR, "[data-testid=token-agency-banpong]")
    assert box.is_selected(), "the officer's only agency is ticked"
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    token = browser.find_element(By.CSS_SELECTOR, "[data-testid=token-value]").text
    assert re.fullmatch(r"prongsai_[0-9a-f]{64}", token)
    found = violations(browser)
    assert not found, describe(found)
    shot(browser, "api-token-made")
    status, body = me(token)
    assert status == 200 and body["username"] == "officer" and body["agencies"][0]["code"] == "banpong"
    browser.get(server["url"] + "/account/tokens")
    assert token not in browser.page_source, "shown once"
    row = [r for r in browser.find_elements(By.CSS_SELECTOR, "[data-testid=token]") if "ระบบสารบรรณ" in r.text][0]
    row.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=token-revoked]")
    status, body = me(token)
    assert status == 401 and body["error"]["status"] == 401 and body["error"]["th"]
