"""The server killed in the middle of a stream of submissions loses no acknowledged answer."""
import os
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
from http_client import Client, eit1_answers


def databases():
    folder = tempfile.mkdtemp(prefix="prongsai-crash-")
    yield ("sqlite", "sqlite:" + os.path.join(folder, "crash.sqlite"))
    pg = os.environ.get("PRONGSAI_TEST_POSTGRES_URL")
    if pg:
        yield ("postgres", pg)


def count_rows(database):
    if database.startswith("sqlite:"):
        with sqlite3.connect(database[len("sqlite:"):]) as db:
            return db.execute("select count(*) from survey_responses").fetchone()[0]
    parsed = urllib.parse.urlparse(database)
    out = subprocess.run(["psql", "-h", parsed.hostname, "-p", str(parsed.port), "-U", parsed.username or "postgres",
                          "-d", parsed.path.lstrip("/"), "-tAc", "select count(*) from survey_responses"],
                         capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


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
    stored = count_rows(database)
    assert stored >= len(acknowledged), f"{len(acknowledged)} acknowledged, {stored} stored"

    # After a restart, every acknowledged submission is known: sending it again stores nothing new.
    proc, url, accounts = start_server(database, free_port(), ["--submissions-per-minute", "0"])
    try:
        client = Client(url)
        for submission in acknowledged[-20:]:
            r = client.request("POST", path, {"submission": submission, **eit1_answers()})
            assert r.status == 303
        assert count_rows(database) == stored
    finally:
        proc.terminate()
        proc.wait(timeout=10)
