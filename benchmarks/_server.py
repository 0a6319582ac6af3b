"""Start `lms serve` on a loopback port for a benchmark, talk to it, and watch its memory."""
import http.cookiejar
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
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


def prepared_instance(folder, course, learners, password):
    """Make a site in folder/instance: schema, an admin, the course ({file name: text}) imported and learners
    learner0, learner1, …; return the instance's path."""
    from lms import create_app
    from lms.accounts.services import create_user
    from lms.extensions import db

    instance, source = Path(folder) / "instance", Path(folder) / "course"
    for name, text in course.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(text)
    lms(instance, "init")
    lms(instance, "create-user", "admin", "--role", "admin", "--password-stdin", input=password + "\n")
    lms(instance, "import-courses", str(source))
    with create_app(instance_path=str(instance)).app_context():
        for i in range(learners):
            create_user(f"learner{i}", password, locale="en")
        db.session.commit()
    return instance


def status(pid):
    """The process's resident and peak resident memory, in MB."""
    text = Path(f"/proc/{pid}/status").read_text()
    return {key: int(re.search(rf"{key}:\s+(\d+)", text).group(1)) / 1024 for key in ("VmRSS", "VmHWM")}


def reset_peak(pid):
    """Make VmHWM start again from the current resident size (Linux: clear_refs 5)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def at_once(server, count, send):
    """Call send(i) from count threads at the same moment; return (results, resident before, peak growth,
    resident after, seconds), memory in MB."""
    before = status(server.process.pid)["VmRSS"]
    reset_peak(server.process.pid)
    barrier = threading.Barrier(count)
    results = [None] * count

    def one(i):
        barrier.wait()
        results[i] = send(i)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    time.sleep(0.5)
    after = status(server.process.pid)
    return results, before, after["VmHWM"] - before, after["VmRSS"], seconds


def multipart(fields, files):
    boundary = secrets.token_hex(16)
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, data) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


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

    def send_work(self, slug, fields, files, timeout=120):
        """Hand in practical work with files (multipart), as the lesson's form does; return the HTTP status."""
        _status, page = self.get(f"/lessons/{slug}")
        token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        body, content_type = multipart({"csrf_token": token, **fields}, files)
        request = urllib.request.Request(self.base + f"/lessons/{slug}/work", data=body,
                                         headers={"Content-Type": content_type})
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def sign_in(self, username, password):
        _status, page = self.get("/sign-in")
        token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        return self.post("/sign-in", {"username": username, "password": password, "csrf_token": token})[0]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp
