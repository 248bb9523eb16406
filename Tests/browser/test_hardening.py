"""Hardening of the public surface (issue 13) seen from outside: a forged Host header, sign-in waits."""
import http.client
import re
import urllib.parse

from conftest import start_server
from http_client import Client


def raw_get(url, path, host):
    parsed = urllib.parse.urlparse(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    conn.putrequest("GET", path, skip_host=True)
    conn.putheader("Host", host)
    conn.endheaders()
    response = conn.getresponse()
    body = response.read().decode("utf-8", "replace")
    conn.close()
    return response.status, body


def test_a_forged_host_is_refused_without_a_public_url(server):
    port = urllib.parse.urlparse(server["url"]).port
    status, body = raw_get(server["url"], "/t/banpong/2566", "evil.example")
    assert status == 421 and "evil.example" not in body
    status, _ = raw_get(server["url"], "/t/banpong/2566.json", f"evil.example:{port}")
    assert status == 421
    status, body = raw_get(server["url"], "/t/banpong/2566", f"127.0.0.1:{port}")
    assert status == 200 and "evil.example" not in body
    status, _ = raw_get(server["url"], "/healthz", "anything.example")
    assert status == 200, "the load balancer's health check answers whatever the host"


def test_with_a_public_url_links_never_take_the_request_host():
    proc, url, accounts = start_server(extra=("--public-url", "https://ita.banpong.go.th"))
    try:
        officer = Client(url)
        officer.sign_in("officer", accounts["officer"])
        officer.request("GET", "/agencies/banpong/2566/surveys")
        officer.request("POST", "/agencies/banpong/2566/surveys/eit1",
                        {"_csrf": officer.csrf(), "opens": "2020-01-01", "closes": "2100-12-31", "population": "400"})
        status, body = raw_get(url, "/t/banpong/2566.json", "evil.example")
        assert status == 200
        assert "evil.example" not in body
        assert re.search(r"https://ita\.banpong\.go\.th/s/[a-z0-9]{6}", body), body[:400]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_an_anonymous_upload_is_refused_before_its_body_is_read(server):
    """Headers announcing 20 MB, then nothing: the answer comes at once, so the body was never waited for."""
    import socket
    import time
    parsed = urllib.parse.urlparse(server["url"])
    for path in ["/agencies/banpong/2566/items/O13/evidence", "/anything/at/all"]:
        s = socket.create_connection((parsed.hostname, parsed.port), timeout=5)
        s.sendall((f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{parsed.port}\r\n"
                   "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 20971520\r\n\r\n").encode())
        started = time.monotonic()
        head = s.recv(4096).decode("latin-1")
        waited = time.monotonic() - started
        s.close()
        status = int(head.split(" ", 2)[1])
        assert status in (403, 404), head[:200]
        assert waited < 5, "answered without the body"


def test_a_signed_in_form_over_the_limit_is_refused_by_its_length(server):
    client = Client(server["url"])
    client.sign_in("officer", server["accounts"]["officer"])
    client.request("GET", "/agencies/banpong/2566/items/O13")
    csrf = client.csrf()
    r = client.request("POST", "/agencies/banpong/2566/items/O13/workflow", {"_csrf": csrf, "action": "start", "pad": "x" * 300_000})
    assert r.status == 413
    assert "ใหญ่เกิน" in client.body


def test_head_answers_get_routes_and_malformed_bodies_get_400(server):
    parsed = urllib.parse.urlparse(server["url"])
    for path in ["/login", "/t/banpong/2566"]:
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
        conn.request("HEAD", path)
        response = conn.getresponse()
        assert response.status == 200 and response.read() == b"", path
        conn.close()
    import socket
    for body, close in [(b"zz\r\nabc\r\n0\r\n\r\n", False), (b"5\r\nab", True)]:
        s = socket.create_connection((parsed.hostname, parsed.port), timeout=5)
        s.sendall(b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                  b"Content-Type: application/x-www-form-urlencoded\r\nCookie: prongsai_csrf=abc\r\n\r\n" + body)
        if close:
            s.shutdown(socket.SHUT_WR)
        head = s.recv(200).decode("latin-1")
        s.close()
        assert head.startswith("HTTP/1.1 400"), head


def test_a_wrong_method_gets_405_with_allow(server):
    parsed = urllib.parse.urlparse(server["url"])
    cases = [
        ("DELETE", "/login", "GET, HEAD, OPTIONS, POST"),
        ("PUT", "/t/banpong/2566", "GET, HEAD, OPTIONS"),
        ("POST", "/agencies/banpong/2566/history", "GET, HEAD, OPTIONS"),
        # A literal segment wins over a parameter, as in the router: /divisions is not the :year dashboard.
        ("DELETE", "/agencies/banpong/divisions", "GET, HEAD, OPTIONS, POST"),
        ("POST", "/healthz", "GET, HEAD, OPTIONS"),
    ]
    for method, path, allow in cases:
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
        # A body announced but never sent: the answer comes without reading it.
        conn.putrequest(method, path)
        conn.putheader("Content-Length", "1000000")
        conn.endheaders()
        response = conn.getresponse()
        body = response.read().decode()
        assert response.status == 405, (method, path, response.status)
        assert response.getheader("Allow") == allow, (method, path, response.getheader("Allow"))
        assert "ไม่ได้" in body and "not allowed" in body
        conn.close()
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    conn.request("OPTIONS", "/agencies/banpong/2566/items/O13/workflow")
    response = conn.getresponse()
    assert response.status == 204 and response.getheader("Allow") == "OPTIONS, POST"
    conn.close()
    # An unknown address stays 404.
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    conn.request("GET", "/t/banpong/2566/no/such/page")
    assert conn.getresponse().status == 404
    conn.close()


def test_sign_in_next_refuses_control_and_white_space(server):
    for trick in ["/\t/evil.example", "/\n/evil.example", "/ /evil.example", "//evil.example", "https://evil.example"]:
        client = Client(server["url"])
        client.request("GET", "/login")
        r = client.request("POST", "/login", {"_csrf": client.csrf(), "username": "viewer", "password": server["accounts"]["viewer"], "next": trick})
        assert r.status == 303
        assert "evil" not in r.getheader("Location"), (trick, r.getheader("Location"))


def test_each_upload_route_keeps_its_own_limit(server):
    """The CSRF check parses a multipart body once; the survey import still refuses more than 1 MB."""
    client = Client(server["url"])
    client.sign_in("assessor", server["accounts"]["assessor"])
    client.request("GET", "/agencies/banpong/2566/surveys/eit2/entry")
    csrf = client.csrf()
    boundary = "pb"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\nContent-Type: text/csv\r\n\r\n"
            + "e1,e2\n" * 250_000 + f"\r\n--{boundary}--\r\n").encode()
    parsed = urllib.parse.urlparse(server["url"])
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    conn.request("POST", "/agencies/banpong/2566/surveys/eit2/import", body=body,
                 headers={"Content-Type": f"multipart/form-data; boundary={boundary}",
                          "Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items())})
    response = conn.getresponse()
    text = response.read().decode("utf-8", "replace")
    conn.close()
    assert len(body) > 1_048_576
    assert response.status == 413, (response.status, text[:300])
