"""The server killed in the middle of a stream of submissions loses no acknowledged answer."""
import json
import os
import re
import secrets
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time
import urllib.parse

import pytest

from conftest import free_port, start_server
from http_client import Client, eit1_answers, iit_answers


def databases():
    folder = tempfile.mkdtemp(prefix="prongsai-crash-")
    yield ("sqlite", "sqlite:" + os.path.join(folder, "crash.sqlite"))
    pg = os.environ.get("PRONGSAI_TEST_POSTGRES_URL")
    if pg:
        yield ("postgres", pg)


def query(database, sql):
    if database.startswith("sqlite:"):
        with sqlite3.connect(database[len("sqlite:"):]) as db:
            return [list(row) for row in db.execute(sql).fetchall()]
    parsed = urllib.parse.urlparse(database)
    out = subprocess.run(["psql", "-h", parsed.hostname, "-p", str(parsed.port), "-U", parsed.username or "postgres",
                          "-d", parsed.path.lstrip("/"), "-tAF", "\t", "-c", sql],
                         capture_output=True, text=True, check=True)
    return [line.split("\t") for line in out.stdout.splitlines() if line]


def count_rows(database, table="survey_responses"):
    return int(query(database, f"select count(*) from {table}")[0][0])


def answers_kept(database):
    """Released and pending answers together: every accepted answer is in exactly one of the two."""
    return count_rows(database, "survey_responses") + count_rows(database, "survey_pending")


def reset_postgres(database):
    parsed = urllib.parse.urlparse(database)
    subprocess.run(["psql", "-h", parsed.hostname, "-p", str(parsed.port), "-U", parsed.username or "postgres",
                    "-d", parsed.path.lstrip("/"), "-qc", "drop schema public cascade; create schema public;"], check=True)


@pytest.mark.parametrize("engine,database", list(databases()))
def test_kill_mid_load_loses_no_acknowledged_answer(engine, database):
    if engine == "postgres":
        reset_postgres(database)
        subprocess.run([os.environ.get("PRONGSAI_BIN"), "migrate", "--database", database], check=True, capture_output=True)
    port = free_port()
    proc, url, accounts = start_server(database, port, ["--submissions-per-minute", "0"])
    officer = Client(url)
    officer.sign_in("officer", accounts["officer"])
    path = officer.open_survey("eit1")

    acknowledged = []
    lock = threading.Lock()
    stop = threading.Event()

    def submitter():
        client = Client(url)
        while not stop.is_set():
            submission = secrets.token_hex(16)
            try:
                r = client.request("POST", path, {"submission": submission, **eit1_answers()}, timeout=5)
            except OSError:
                return  # the server is gone
            if r.status == 303:
                with lock:
                    acknowledged.append(submission)

    threads = [threading.Thread(target=submitter) for _ in range(8)]
    for t in threads:
        t.start()
    time.sleep(2.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stop.set()
    for t in threads:
        t.join(timeout=10)
    assert len(acknowledged) > 20, "the load ran before the kill"
    stored = answers_kept(database)
    assert stored >= len(acknowledged), f"{len(acknowledged)} acknowledged, {stored} stored"

    # After a restart, every acknowledged submission is known: sending it again stores nothing new; and
    # what was accepted but not yet released is released, exactly once.
    proc, url, accounts = start_server(database, free_port(), ["--submissions-per-minute", "0", "--release-every", "1"])
    try:
        client = Client(url)
        for submission in acknowledged[-20:]:
            r = client.request("POST", path, {"submission": submission, **eit1_answers()})
            assert r.status == 303
        deadline = time.time() + 20
        while count_rows(database, "survey_pending") >= 5 and time.time() < deadline:
            time.sleep(0.2)
        assert count_rows(database, "survey_pending") < 5, "pending answers are released after the restart"
        assert answers_kept(database) == stored, "nothing lost, nothing released twice"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.parametrize("engine,database", list(databases()))
def test_kill_between_accept_and_release(engine, database):
    """Answers accepted (codes spent) but not yet released when the server dies are released after the
    restart, each exactly once, and no spent code is without its answer."""
    if engine == "postgres":
        reset_postgres(database)
        subprocess.run([os.environ.get("PRONGSAI_BIN"), "migrate", "--database", database], check=True, capture_output=True)
    # Release rounds an hour apart: nothing is released before the kill.
    proc, url, accounts = start_server(database, free_port(), ["--release-every", "3600"])
    officer = Client(url)
    officer.sign_in("officer", accounts["officer"])
    path = officer.open_survey("iit", population="57")
    officer.request("GET", "/agencies/banpong/2566/surveys")
    r = officer.request("POST", "/agencies/banpong/2566/surveys/iit/codes", {"_csrf": officer.csrf(), "count": "8"})
    assert r.status == 303
    officer.request("GET", "/agencies/banpong/2566/surveys/iit/codes.csv")
    codes = [line.split(",")[0] for line in officer.body.strip().splitlines()[1:]]
    assert len(codes) == 8
    sent = []
    for index, code in enumerate(codes[:7]):
        person = Client(url)
        person.request("GET", path)
        person.request("POST", path, {"step": "code", "code": code})
        submission = re.search(r'name="submission" value="([0-9a-f]+)"', person.body).group(1)
        form = {"submission": submission, "code": code, **iit_answers(index)}
        r = person.request("POST", path, form)
        assert r.status == 303, (r.status, person.body[:300])
        sent.append(form)
    assert count_rows(database) == 0, "nothing released before the kill"
    assert count_rows(database, "survey_pending") == 7
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    proc, url, accounts = start_server(database, free_port(), ["--release-every", "1"])
    try:
        deadline = time.time() + 20
        while count_rows(database) < 7 and time.time() < deadline:
            time.sleep(0.2)
        assert count_rows(database) == 7, "every acknowledged answer is released after the restart"
        assert count_rows(database, "survey_pending") == 0
        time.sleep(2.5)
        assert count_rows(database) == 7, "released once"
        released = sorted(json.dumps(json.loads(row[0]), sort_keys=True) for row in query(database, "select answers from survey_responses"))
        expected = sorted(json.dumps({k: (int(v) if v.isdigit() else v) for k, v in form.items() if k not in ("submission", "code")}, sort_keys=True)
                          for form in sent)
        assert released == expected, "the answers released are exactly the answers sent"
        spent = count_rows(database, "survey_codes where spent = 1")
        assert spent == 7, "each spent code has its answer"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
