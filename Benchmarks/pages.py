"""Page speed with a large year: 100,000 released survey answers and all 43 OIT items with evidence.

Starts one `prongsai serve --demo` node on the given database, gives each of the 43 items an evidence
revision (two links and a PDF, through the item page's own form), puts the answers in the pending table
and lets the server's release rounds release them (so the counts pages read are made the way they are in
use), then loads the dashboard, the surveys page and an item page with `wrk` at 16 clients as the signed-in
officer and prints requests per second, p50 and p99. Checks that every answer was released and that the
surveys page shows the counts.

    python3 Benchmarks/pages.py --bin .build-release/release/prongsai --database sqlite:/tmp/x.sqlite --engine sqlite
"""
import argparse
import json
import os
import random
import re
import secrets
import subprocess
import sys
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "Tests", "browser"))
from http_client import Client, free_port  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..")
PARTS = {"iit": 30_000, "eit1": 50_000, "eit2": 20_000}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def multipart(fields, files=()):
    boundary = "----prongsai" + secrets.token_hex(8)
    body = b""
    for name, value in fields:
        body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    for name, filename, data, kind in files:
        body += (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                 f"Content-Type: {kind}\r\n\r\n").encode() + data + b"\r\n"
    return boundary, body + f"--{boundary}--\r\n".encode()


def post_multipart(client, path, fields, files=()):
    import http.client
    boundary, body = multipart(fields, files)
    conn = http.client.HTTPConnection(client.host, client.port, timeout=30)
    conn.request("POST", path, body=body, headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items())})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status


def answers(framework):
    """Random valid answers per part, as the stored JSON writes them."""
    scales = framework["scales"]
    questions = {}
    for tool in framework["tools"]:
        if tool["kind"] != "survey":
            continue
        listed = [q for indicator in tool["indicators"] for q in indicator["questions"]]
        for part in tool["parts"]:
            questions[part] = listed
    rng = random.Random(2566)

    def one(part):
        out = {}
        for q in questions[part]:
            if rng.random() < 0.05:
                continue  # now and then a question left unanswered
            points = scales[q["scale"]]["points"]
            out[q["id"]] = rng.choice(["yes", "no"]) if isinstance(points, dict) else rng.randint(1, len(points))
        return json.dumps(out, separators=(",", ":"), sort_keys=True)
    return one


class Store:
    """The database behind the node, reached the way an operator would: sqlite3 or psql."""

    def __init__(self, url):
        self.url = url

    def sql(self, query):
        if self.url.startswith("sqlite:"):
            import sqlite3
            db = sqlite3.connect(self.url[len("sqlite:"):], timeout=30)
            rows = db.execute(query).fetchall()
            db.close()
            return rows
        out = subprocess.run(["psql", self.url.replace("?sslmode=disable", ""), "-tAc", query], capture_output=True, text=True, check=True).stdout
        return [tuple(line.split("|")) for line in out.splitlines() if line]

    def add_pending(self, assessment_id, rows):
        if self.url.startswith("sqlite:"):
            import sqlite3
            db = sqlite3.connect(self.url[len("sqlite:"):], timeout=30)
            db.executemany("INSERT INTO survey_pending (id, assessment_id, part_id, answers) VALUES (?, ?, ?, ?)",
                           [(str(uuid.uuid4()), assessment_id, part, text) for part, text in rows])
            db.commit()
            db.close()
            return
        lines = "".join(f"{uuid.uuid4()}\t{assessment_id}\t{part}\t{text}\n" for part, text in rows)
        subprocess.run(["psql", self.url.replace("?sslmode=disable", ""), "-qc", "COPY survey_pending (id, assessment_id, part_id, answers) FROM STDIN"],
                       input=lines, text=True, check=True)


def wrk(url, cookie, seconds, clients):
    out = subprocess.run(["wrk", f"-t2", f"-c{clients}", f"-d{seconds}s", "--latency", "-H", f"Cookie: {cookie}", url],
                         capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = int(re.search(r"Non-2xx or 3xx responses: (\d+)", out).group(1)) if "Non-2xx" in out else 0

    def pct(p):
        v, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(v) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    return rate, pct(50), pct(99), bad


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--engine", required=True)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()

    port = free_port()
    log = open(f"/tmp/prongsai-pages-{args.engine}-{port}.log", "w+")
    server = subprocess.Popen([args.bin, "serve", "--demo", "--database", args.database, "--port", str(port),
                               "--submissions-per-minute", "0", "--release-every", "1"], stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if Client(base).request("GET", "/healthz").status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        log.seek(0)
        accounts = dict(re.findall(r"^\s+(\w+)\s+(\w{12})\s+\(", log.read(), re.M))
        officer = Client(base)
        officer.sign_in("officer", accounts["officer"])
        store = Store(args.database)
        assessment_id = store.sql("SELECT id FROM assessments")[0][0]
        framework = json.load(open(os.path.join(ROOT, "Sources/ProngsaiCore/Frameworks/ita-2566.json")))
        items = [item["id"] for tool in framework["tools"] if tool["kind"] == "checklist"
                 for indicator in tool["indicators"] for sub in indicator["subindicators"] for item in sub["items"]]

        started = time.time()
        for item in items:
            page = f"/agencies/banpong/2566/items/{item}"
            officer.request("GET", page)
            status = post_multipart(officer, page + "/evidence", [
                ("_csrf", officer.csrf()), ("explanation", f"หลักฐาน {item} ประจำปี 2566"), ("component", "0"),
                ("links", f"https://www.banpong.go.th/ita/{item}\nhttps://www.banpong.go.th/ita/{item}/more")],
                [("file", f"{item}.pdf", PDF + item.encode(), "application/pdf")])
            assert status == 303, f"evidence for {item}: {status}"
        print(f"{args.engine:9} evidence: {len(items)} items, a revision each with two links and a file ({time.time() - started:.1f} s)", flush=True)

        started = time.time()
        make = answers(framework)
        for part, count in PARTS.items():
            for start in range(0, count, 10_000):
                store.add_pending(assessment_id, [(part, make(part)) for _ in range(min(10_000, count - start))])
        total = sum(PARTS.values())
        while True:
            left = int(store.sql("SELECT COUNT(*) FROM survey_pending")[0][0])
            print(f"{args.engine:9} releasing: {total - left:,} of {total:,}", flush=True)
            if left == 0:
                break
            time.sleep(2)
        released = int(store.sql("SELECT COUNT(*) FROM survey_responses")[0][0])
        assert released == total, f"{released} released, {total} expected"
        print(f"{args.engine:9} answers: {released:,} released by the server's rounds ({time.time() - started:.1f} s)", flush=True)

        officer.request("GET", "/agencies/banpong/2566/surveys")
        for part, count in PARTS.items():
            assert f'data-live-count="{part}">{count}<' in officer.body, f"the surveys page counts {count} answers for {part}"
        cookie = "; ".join(f"{k}={v}" for k, v in officer.cookies.items())
        pages = [("dashboard", "/agencies/banpong/2566"), ("surveys", "/agencies/banpong/2566/surveys"),
                 ("item O13", "/agencies/banpong/2566/items/O13")]
        for name, path in pages:
            rate, p50, p99, bad = wrk(base + path, cookie, args.seconds, args.clients)
            verdict = "ok" if p99 < 50 and bad == 0 else "OVER 50 ms" if bad == 0 else f"{bad} FAILED"
            print(f"{args.engine:9} {name:10} {rate:7.0f}/s  p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  ({args.clients} clients, {verdict})", flush=True)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
