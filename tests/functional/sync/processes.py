"""Test scaffolding for the hub's layout: sites run as real `lms` processes on loopback, and a reverse proxy.

The proxy is the smallest round-robin one the standard library allows (http.server in front, http.client to the
back): it stands for the Caddy or nginx of the README's hub layout, and counts which process served what.
"""
import http.client
import http.cookiejar
import http.server
import itertools
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

LMS = str(Path(sys.executable).parent / "lms")
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
              "transfer-encoding", "upgrade", "content-length"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Site:
    """One site's instance folder and environment: its CLI as a person types it, and its `lms serve` processes."""

    def __init__(self, folder, role="centre", database_url=None):
        self.folder = folder
        self.env = {name: value for name, value in os.environ.items()
                    if name != "DATABASE_URL" and not name.startswith("LMS_")}
        self.env.update(LMS_INSTANCE_PATH=str(folder), LMS_PASSWORD_METHOD="scrypt:1024:8:1", LMS_SITE_ROLE=role)
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.servers = []

    def lms(self, *args, stdin=None, ok=True):
        """Run `lms ARGS…` in this site's environment; return the finished process (stdout, stderr as text)."""
        done = subprocess.run([LMS, *args], env=self.env, input=stdin, capture_output=True, text=True, timeout=120)
        if ok:
            assert done.returncode == 0, f"lms {' '.join(args)}: {done.stdout}{done.stderr}"
        return done

    def configure(self, **settings):
        """Add settings to instance/config.py, as the README tells a site's admin to."""
        with open(self.folder / "config.py", "a", encoding="utf-8") as config:
            for name, value in settings.items():
                config.write(f"{name} = {value!r}\n")

    def serve(self, port=None):
        """Start one `lms serve` process on 127.0.0.1; return its address once it answers /healthz."""
        port = port or free_port()
        log = self.folder / f"serve-{port}.log"  # read back when it fails to start
        with open(log, "wb") as out:
            process = subprocess.Popen([LMS, "serve", "--host", "127.0.0.1", "--port", str(port), "--threads", "2"],
                                       env=self.env, stdout=out, stderr=subprocess.STDOUT)
        self.servers.append(process)
        try:
            wait_until_up(f"http://127.0.0.1:{port}", process)
        except RuntimeError as error:
            raise RuntimeError(f"{error}: {log.read_text(errors='replace')[-2000:]}") from None
        return ("127.0.0.1", port)

    def stop(self):
        for process in self.servers:
            process.terminate()
        for process in self.servers:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        self.servers = []


def wait_until_up(base, process=None, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server at {base} stopped (exit code {process.returncode})")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    raise RuntimeError(f"the server at {base} did not start")


class RoundRobinProxy:
    """A reverse proxy on 127.0.0.1 that hands each request to the next backend, and notes who served it."""

    def __init__(self, backends):
        self.backends = itertools.cycle(backends)
        self.lock = threading.Lock()
        self.served = []  # (backend, method, path)
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"  # one request per connection: nothing to keep in step

            def forward(self):
                with proxy.lock:
                    backend = next(proxy.backends)
                    proxy.served.append((backend, self.command, self.path))
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {name: value for name, value in self.headers.items() if name.lower() not in HOP_BY_HOP}
                headers.update({"X-Forwarded-For": self.client_address[0], "X-Forwarded-Proto": "http",
                                "X-Forwarded-Host": self.headers.get("Host", "")})
                if body is not None:
                    headers["Content-Length"] = str(len(body))
                connection = http.client.HTTPConnection(*backend, timeout=60)
                try:
                    connection.request(self.command, self.path, body=body, headers=headers)
                    answer = connection.getresponse()
                    data = answer.read()
                except OSError:
                    self.send_error(502)
                    return
                finally:
                    connection.close()
                self.send_response_only(answer.status, answer.reason)
                for name, value in answer.getheaders():
                    if name.lower() not in HOP_BY_HOP:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_HEAD = forward

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def requests_since(self, start, method=None, prefix=""):
        return [entry for entry in self.served[start:]
                if (method is None or entry[1] == method) and entry[2].startswith(prefix)]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Browser:
    """A person at a browser without JavaScript: cookies kept, forms posted with the page's CSRF token."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path):
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.read().decode("utf-8")

    def post(self, path, fields, token_from):
        page = self.get(token_from)
        token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({**fields, "csrf_token": token}).encode()
        with self.opener.open(self.base + path, data=data, timeout=60) as response:
            return response.read().decode("utf-8")

    def sign_in(self, username, password):
        page = self.post("/sign-in", {"username": username, "password": password}, token_from="/sign-in")
        assert 'action="/sign-out"' in page, f"{username} could not sign in"
        return page
