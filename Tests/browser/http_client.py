"""A small cookie-keeping HTTP client for driving Prongsai like a browser (no redirects followed)."""
import http.client
import re
import socket
import urllib.parse


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Client:
    def __init__(self, base):
        parsed = urllib.parse.urlparse(base)
        self.host, self.port = parsed.hostname, parsed.port
        self.cookies = {}
        self.body = ""

    def request(self, method, path, form=None, timeout=10):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        self.body = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                val = rest.split(";")[0]
                if val and "Max-Age=0" not in value:
                    self.cookies[name] = val
                else:
                    self.cookies.pop(name, None)
        conn.close()
        return response

    def csrf(self):
        m = re.search(r'name="_csrf" value="([0-9a-f]+)"', self.body)
        return m.group(1) if m else ""

    def sign_in(self, username, password):
        self.request("GET", "/login")
        r = self.request("POST", "/login", {"_csrf": self.csrf(), "username": username, "password": password, "next": ""})
        assert r.status == 303, r.status

    def open_survey(self, part, opens="2020-01-01", closes="2100-12-31", population="400"):
        """Opens a survey part as the signed-in officer and returns its public path."""
        self.request("GET", "/agencies/banpong/2566/surveys")
        r = self.request("POST", f"/agencies/banpong/2566/surveys/{part}",
                         {"_csrf": self.csrf(), "opens": opens, "closes": closes, "population": population})
        assert r.status == 303, (r.status, self.body[:500])
        self.request("GET", "/agencies/banpong/2566/surveys")
        m = re.search(r'data-testid="link-' + part + r'">http://[^<]+(/s/[a-z0-9]{6})<', self.body)
        assert m, "survey link on the page"
        return m.group(1)


def eit1_answers(level=4):
    """Every EIT question answered; yes/no questions get "no" (e4 is reverse, e8/e10 positive)."""
    answers = {}
    for n in range(1, 16):
        q = f"e{n}"
        answers[q] = "no" if q in ("e4", "e8", "e10") else str(level)
    return answers


IIT_YES_NO = ("i4", "i5", "i6", "i26a", "i26b")
IIT_QUESTIONS = ["i1a", "i1b", "i2", "i3a", "i3b", "i3c", "i4", "i5", "i6", "i7", "i8", "i9", "i10", "i11a", "i11b", "i12",
                 "i13", "i14", "i15", "i16", "i17", "i18", "i19", "i20", "i21", "i22", "i23", "i24", "i25", "i26a", "i26b",
                 "i27", "i28", "i29", "i30a", "i30b", "i30c", "i30d"]


def iit_answers(seed=0):
    """Every IIT question answered, varied by `seed` so that respondents differ."""
    answers = {}
    for index, q in enumerate(IIT_QUESTIONS):
        answers[q] = ("yes" if (index + seed) % 2 else "no") if q in IIT_YES_NO else str(1 + (index * 7 + seed * 3) % 4)
    return answers
