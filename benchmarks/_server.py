"""Start `lms serve` on a loopback port for a benchmark, and talk to it."""
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LMS = str(Path(sys.executable).parent / "lms")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lms(instance, *args, input=None, env=None):
    """Run an `lms` command against a benchmark instance."""
    return subprocess.run([LMS, *args], input=input, text=True, capture_output=True, check=True,
                          env={**os.environ, "LMS_INSTANCE_PATH": str(instance), **(env or {})})


class Server:
    def __init__(self, instance, threads=8, env=None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [LMS, "serve", "--host", "127.0.0.1", "--port", str(self.port), "--threads", str(threads)],
            env={**os.environ, "LMS_INSTANCE_PATH": str(instance), **(env or {})},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def wait_ready(self, path="/healthz", timeout=60):
        """Return the seconds from start to the first 200."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            try:
                with urllib.request.urlopen(self.base + path, timeout=2) as r:
                    if r.status == 200:
                        return time.perf_counter() - self.started
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.02)
        raise RuntimeError("server did not start")

    def rss_mb(self):
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


class Browser:
    """A cookie-keeping client, like one phone."""

    def __init__(self, base, language="fr"):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())
        self.opener.addheaders = [("Accept-Language", language)]

    def get(self, path):
        try:
            with self.opener.open(self.base + path, timeout=60) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def post(self, path, data):
        body = urllib.parse.urlencode(data).encode()
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def sign_in(self, username, password):
        _status, page = self.get("/sign-in")
        token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        return self.post("/sign-in", {"username": username, "password": password, "csrf_token": token})[0]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp
