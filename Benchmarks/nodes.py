"""Three `prongsai serve` nodes on one PostgreSQL behind nginx, all on loopback. During a 64-client survey
load and document jobs, one node and then a second are killed with SIGKILL. Afterwards:

- every submission the load sent is acknowledged (a client retries a failed one with the same submission id,
  as a browser resends a form) and stored exactly once: answers == receipts == acknowledged;
- every document job finishes once, with each of its files once, though the nodes that started some died;
- a signed-in officer keeps working through nginx (sessions live in the database);
- every evidence link is fetched once, not once per node.

    python3 Benchmarks/nodes.py --bin .build/debug/prongsai --postgres postgres://postgres@127.0.0.1:5432/postgres [--seconds 20]

Prints its figures and exits non-zero when a check fails (scripts/test.sh runs it; Benchmarks/nodes.sh
starts PostgreSQL and runs it on a release build).
"""
import argparse
import http.client
import http.server
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "browser"))
from http_client import Client, eit1_answers, free_port  # noqa: E402


def wait_healthy(port, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"node on port {port} did not start")


class Hits(http.server.BaseHTTPRequestHandler):
    """A stand-in agency website that counts how often each page is fetched."""
    counts = {}
    lock = threading.Lock()

    def do_GET(self):
        with Hits.lock:
            Hits.counts[self.path] = Hits.counts.get(self.path, 0) + 1
        body = f"evidence page {self.path}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def multipart(fields):
    boundary = "----prongsai" + secrets.token_hex(8)
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n')
    return boundary, ("".join(parts) + f"--{boundary}--\r\n").encode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--postgres", required=True, help="a URL of the server (any database) to create a fresh database in")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--jobs", type=int, default=4)
    args = parser.parse_args()
    args.bin = os.path.abspath(args.bin)

    work = tempfile.mkdtemp(prefix="prongsai-nodes-")
    admin = urllib.parse.urlparse(args.postgres)
    name = "nodes_" + secrets.token_hex(4)
    psql_base = ["psql", "-h", admin.hostname, "-p", str(admin.port), "-U", admin.username or "postgres", "-v", "ON_ERROR_STOP=1", "-qAt"]
    subprocess.run(psql_base + ["-d", "postgres", "-c", f"CREATE DATABASE {name}"], check=True)
    url = f"postgres://{admin.username or 'postgres'}@{admin.hostname}:{admin.port}/{name}?sslmode=disable"

    def sql(query):
        return subprocess.run(psql_base + ["-d", name, "-c", query], check=True, capture_output=True, text=True).stdout.strip()

    subprocess.run([args.bin, "migrate", "--database", url], check=True, capture_output=True)

    website = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hits)
    threading.Thread(target=website.serve_forever, daemon=True).start()

    common = ["--database", url, "--submissions-per-minute", "0", "--allow-private-links", "--two-factor", "optional"]
    nodes = []
    ports = [free_port() for _ in range(3)]
    for index, port in enumerate(ports):
        extra = ["--demo"] if index == 0 else []
        log = open(os.path.join(work, f"node{index}.log"), "w")
        proc = subprocess.Popen([args.bin, "serve", "--port", str(port), *common, *extra], stdout=subprocess.PIPE if index == 0 else log,
                                stderr=subprocess.STDOUT, text=True, cwd=work)
        nodes.append(proc)
        if index == 0:
            accounts = {}
            for line in proc.stdout:
                m = re.match(r"\s+(\w+)\s+(\w{12})\s+\(", line)
                if m:
                    accounts[m.group(1)] = m.group(2)
                if len(accounts) == 5:
                    break
            threading.Thread(target=lambda p=proc, f=log: [f.write(l) for l in p.stdout], daemon=True).start()
        wait_healthy(port)

    front = free_port()
    os.makedirs(os.path.join(work, "nginx", "logs"), exist_ok=True)
    conf = os.path.join(work, "nginx", "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""user root;
worker_processes 2;
error_log {work}/nginx/logs/error.log;
pid {work}/nginx/nginx.pid;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {work}/nginx/body;
  proxy_temp_path {work}/nginx/proxy;
  upstream prongsai {{
    {''.join(f'server 127.0.0.1:{p} max_fails=1 fail_timeout=10s; ' for p in ports)}
    keepalive 64;
  }}
  server {{
    listen 127.0.0.1:{front};
    client_max_body_size 30m;
    location / {{
      proxy_pass http://prongsai;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_connect_timeout 1s;
    }}
  }}
}}
""")
    nginx = subprocess.Popen(["nginx", "-p", os.path.join(work, "nginx"), "-c", conf, "-g", "daemon off;"])
    wait_healthy(front)
    base = f"http://127.0.0.1:{front}"

    failures = []
    try:
        officer = Client(base)
        officer.sign_in("officer", accounts["officer"])
        path = officer.open_survey("eit1")
        # Evidence links to the counting website, saved through nginx.
        links = [f"http://127.0.0.1:{website.server_port}/page/{n}" for n in range(8)]
        officer.request("GET", "/agencies/banpong/2566/items/O2")
        boundary, body = multipart([("_csrf", officer.csrf()), ("links", "\n".join(links))])
        conn = http.client.HTTPConnection("127.0.0.1", front, timeout=30)
        conn.request("POST", "/agencies/banpong/2566/items/O2/evidence", body=body, headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in officer.cookies.items())})
        saved = conn.getresponse()
        saved.read()
        if saved.status != 303:
            failures.append(f"saving evidence links answered {saved.status}")
        # Document jobs waiting for any node.
        assessment = sql("SELECT a.id FROM assessments a JOIN agencies g ON g.id = a.agency_id WHERE g.code = 'banpong' AND a.fiscal_year = 2566")
        jobs = []
        for n in range(args.jobs):
            job = secrets.token_hex(16)
            jobs.append(job)
            sql("INSERT INTO document_jobs (id, assessment_id, status, step, steps, message, created_by, created_at, updated_at) VALUES "
                f"('{job}', '{assessment}', 'queued', 0, 0, '', 'nodes test', '2026-01-01T00:00:0{n}.000Z', '2026-01-01T00:00:00.000Z')")

        # The survey load: each client sends forms with fresh submission ids and resends a failed one (same id).
        form_tail = "&" + urllib.parse.urlencode(eit1_answers())
        acknowledged = []
        ack_lock = threading.Lock()
        latencies = []
        retries = [0]
        stop = threading.Event()

        def client():
            conn = None
            mine, times = [], []
            while not stop.is_set():
                submission = secrets.token_hex(16)
                started = time.time()
                while True:
                    try:
                        if conn is None:
                            conn = http.client.HTTPConnection("127.0.0.1", front, timeout=10)
                        conn.request("POST", path, body="submission=" + submission + form_tail,
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
                        response = conn.getresponse()
                        response.read()
                        if response.status == 303:
                            break
                    except (OSError, http.client.HTTPException):
                        conn = None
                    with ack_lock:
                        retries[0] += 1
                    if time.time() - started > 60:
                        raise SystemExit("a submission was not acknowledged within 60 s")
                    time.sleep(0.05)
                mine.append(submission)
                times.append(time.time() - started)
            with ack_lock:
                acknowledged.extend(mine)
                latencies.extend(times)

        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        started = time.time()
        for t in threads:
            t.start()
        time.sleep(args.seconds / 4)
        nodes[0].send_signal(signal.SIGKILL)
        killed_first = time.time() - started
        time.sleep(args.seconds / 4)
        nodes[1].send_signal(signal.SIGKILL)
        killed_second = time.time() - started
        time.sleep(args.seconds / 2)
        stop.set()
        for t in threads:
            t.join()
        elapsed = time.time() - started
        print(f"survey load: {len(acknowledged)} submissions acknowledged in {elapsed:.1f} s ({len(acknowledged) / elapsed:.0f}/s) by "
              f"{args.clients} clients through nginx; {retries[0]} resends after failures; node 1 killed at {killed_first:.1f} s, node 2 at {killed_second:.1f} s")
        latencies.sort()
        if latencies:
            print(f"  latency incl. resends: p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, p99 {latencies[int(len(latencies) * 0.99)] * 1000:.0f} ms")

        # The officer's session still works on the surviving node.
        page = officer.request("GET", "/agencies/banpong/2566")
        if page.status != 200:
            failures.append(f"the signed-in officer got {page.status} after two nodes died")

        # Jobs: all finish (those of dead nodes are taken over once their heartbeat is 30 s old).
        deadline = time.time() + 300
        while time.time() < deadline:
            states = sql("SELECT status FROM document_jobs WHERE id IN (" + ",".join(f"'{j}'" for j in jobs) + ")").split()
            if all(s in ("done", "failed") for s in states):
                break
            time.sleep(1)
        rows = sql("SELECT id, status, steps, attempts, (SELECT COUNT(*) FROM document_files f WHERE f.job_id = j.id) FROM document_jobs j WHERE id IN ("
                   + ",".join(f"'{j}'" for j in jobs) + ")").splitlines()
        taken_over = 0
        for row in rows:
            job, status, steps, attempts, files = row.split("|")
            if status != "done" or int(files) != int(steps) or int(steps) == 0:
                failures.append(f"job {job[:8]}: {status}, {files} files of {steps} (attempts {attempts})")
            if int(attempts) > 1:
                taken_over += 1
        print(f"document jobs: {sum(1 for r in rows if r.split('|')[1] == 'done')} of {len(jobs)} done, {taken_over} taken over from a dead node")

        # Answers: released or pending (a last batch under five waits for more), one per acknowledged submission.
        stored = int(sql("SELECT (SELECT COUNT(*) FROM survey_responses) + (SELECT COUNT(*) FROM survey_pending)"))
        receipts = int(sql("SELECT COUNT(*) FROM survey_submissions"))
        distinct = len(set(acknowledged))
        print(f"answers: {distinct} acknowledged, {receipts} receipts, {stored} answers stored")
        if not (stored == receipts == distinct == len(acknowledged)):
            failures.append(f"answers lost or doubled: acknowledged {len(acknowledged)} ({distinct} distinct), receipts {receipts}, stored {stored}")

        # Links: every one fetched, each once, though three nodes ran checkers.
        deadline = time.time() + 60
        while time.time() < deadline and len(Hits.counts) < len(links):
            time.sleep(1)
        time.sleep(12)  # another round of the surviving node's checker
        hits = [Hits.counts.get(urllib.parse.urlparse(link).path, 0) for link in links]
        print(f"evidence links: fetched {hits} (each once expected)")
        if hits != [1] * len(links):
            failures.append(f"links fetched {hits} times")
    finally:
        for proc in nodes:
            if proc.poll() is None:
                proc.terminate()
        nginx.terminate()
        for proc in nodes + [nginx]:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        website.shutdown()
        subprocess.run(psql_base + ["-d", "postgres", "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], capture_output=True)
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        for index in range(3):
            print(f"--- node{index}.log (tail)")
            print("".join(open(os.path.join(work, f"node{index}.log")).readlines()[-15:]))
        raise SystemExit(1)
    print("nodes: all checks passed")


if __name__ == "__main__":
    main()
