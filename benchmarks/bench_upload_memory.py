"""Upload memory budget: 4 image bombs sent at once as practical work must not grow the server by 150 MB.

Also measured, for the record: the largest images the limits still accept (4 PNGs just under
UPLOAD_MAX_DECODED_PIXELS, 4 JPEG photos of 48 MP), sent at once.

Run: .venv/bin/python benchmarks/bench_upload_memory.py  (uses a temporary instance, loopback only)
"""
import html
import io
import re
import secrets
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from _server import Browser, Server, lms
from PIL import Image

from lms import create_app
from lms.accounts.services import create_user
from lms.extensions import db

PASSWORD = "une phrase de passe"
BUDGET_MB = 150
AT_ONCE = 4
COURSE = {
    "path.yaml": "id: bench\ntitle: Banc d'essai\nlevel: beginner\nhours: 1\n",
    "01-stall.fr.md": ("---\nid: bench-stall\ntitle: Votre étal\nminutes: 5\n---\n\nPhotographiez votre étal.\n\n"
                       "::: assignment\nsubmit: photo, text\nPhotographiez votre étal.\n:::\n"),
}


def encoded(size, mode="RGB", format="PNG", **params):
    buffer = io.BytesIO()
    Image.new(mode, size, 0).save(buffer, format, **params)
    return buffer.getvalue()


def status(pid):
    text = Path(f"/proc/{pid}/status").read_text()
    return {key: int(re.search(rf"{key}:\s+(\d+)", text).group(1)) / 1024 for key in ("VmRSS", "VmHWM")}


def reset_peak(pid):
    """Make VmHWM start again from the current resident size (Linux: clear_refs 5)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


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


def send_photo(phone, slug, photo, filename):
    """Post practical work with a photo, as the lesson's form does; return (status, flash messages)."""
    _status, page = phone.get(f"/lessons/{slug}")
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    body, content_type = multipart({"csrf_token": token, "text": "Mon étal"}, {"photo": (filename, photo)})
    request = urllib.request.Request(phone.base + f"/lessons/{slug}/work", data=body,
                                     headers={"Content-Type": content_type})
    try:
        with phone.opener.open(request, timeout=120) as response:
            code = response.status
    except urllib.error.HTTPError as error:
        code = error.code
    _status, after = phone.get(f"/lessons/{slug}")
    return code, [html.unescape(m) for m in re.findall(r'class="flash flash-(?:error|success)"[^>]*>\s*([^<]+)', after)]


def burst(server, phones, slug, photo, filename):
    """Send one photo from each phone at the same moment; return statuses, messages and memory figures."""
    before = status(server.process.pid)["VmRSS"]
    reset_peak(server.process.pid)
    barrier = threading.Barrier(len(phones))
    results = [None] * len(phones)

    def one(i):
        barrier.wait()
        results[i] = send_photo(phones[i], slug, photo, filename)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(phones))]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    time.sleep(0.5)
    after = status(server.process.pid)
    return results, before, after["VmHWM"] - before, after["VmRSS"], seconds


def report(label, server, phones, slug, photo, filename, budget=None):
    results, before, growth, after, seconds = burst(server, phones, slug, photo, filename)
    codes = sorted({code for code, _ in results})
    messages = sorted({m.strip() for _, flashes in results for m in flashes})
    verdict = "" if budget is None else (" OK" if growth < budget else " OVER BUDGET")
    print(f"{label}: {len(photo) // 1024} KB each, {AT_ONCE} at once, answered in {seconds:.2f} s, HTTP {codes}")
    print(f"  messages shown: {messages}")
    print(f"  resident before {before:.1f} MB, peak growth {growth:.1f} MB"
          + (f" (budget < {budget} MB){verdict}" if budget else "") + f", resident after {after:.1f} MB")
    return growth


def main():
    with tempfile.TemporaryDirectory() as tmp:
        instance, course = Path(tmp) / "instance", Path(tmp) / "course"
        for name, text in COURSE.items():
            (course / name).parent.mkdir(parents=True, exist_ok=True)
            (course / name).write_text(text)
        lms(instance, "init")
        lms(instance, "create-user", "admin", "--role", "admin", "--password-stdin", input=PASSWORD + "\n")
        lms(instance, "import-courses", str(course))
        with create_app(instance_path=str(instance)).app_context():
            for i in range(AT_ONCE):
                create_user(f"learner{i}", PASSWORD, locale="en")
            db.session.commit()

        print("making the images...")
        bomb = encoded((10_000, 10_000), mode="1")  # 100 MP, 400 MB once decoded as RGBA
        big_png = encoded((4600, 3450))  # 15.9 MP: the largest PNG still decoded whole
        big_jpeg = encoded((8000, 6000), format="JPEG", quality=90)  # a 48 MP phone photo

        server = Server(instance)
        try:
            server.wait_ready("/sign-in")
            phones = [Browser(server.base, language="en") for _ in range(AT_ONCE)]
            for i, phone in enumerate(phones):
                assert phone.sign_in(f"learner{i}", PASSWORD) == 302
            send_photo(phones[0], "bench-stall", encoded((40, 30), format="JPEG"), "warm-up.jpg")  # loads Pillow
            print(f"server resident after sign-ins and one small photo: {status(server.process.pid)['VmRSS']:.1f} MB")
            growth = report("decompression bombs (10,000 x 10,000 PNG)", server, phones, "bench-stall", bomb,
                            "bomb.png", budget=BUDGET_MB)
            report("largest PNG accepted (4,600 x 3,450)", server, phones, "bench-stall", big_png, "big.png")
            report("48 MP JPEG photos (8,000 x 6,000)", server, phones, "bench-stall", big_jpeg, "big.jpg")
            uploads = Path(instance) / "uploads"
            stored = sorted(p.name for p in uploads.iterdir()) if uploads.exists() else []
            print(f"photos stored: {len(stored)} (the warm-up and the work accepted; none from the bombs, "
                  f"none for work the rules refused)")
            print(f"verdict: bombs grew the server by {growth:.1f} MB (budget < {BUDGET_MB} MB) "
                  f"{'OK' if growth < BUDGET_MB else 'OVER BUDGET'}")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
