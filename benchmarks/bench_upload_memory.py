"""Upload memory budget: 4 image bombs sent at once as practical work must not grow the server by 150 MB.

Also measured, for the record: the largest images the limits still accept (4 PNGs just under
UPLOAD_MAX_DECODED_PIXELS, 4 JPEG photos of 48 MP), sent at once.

Run: .venv/bin/python benchmarks/bench_upload_memory.py  (uses a temporary instance, loopback only)
"""
import html
import io
import re
import tempfile
from pathlib import Path

from _server import Browser, Server, at_once, prepared_instance, status
from PIL import Image

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


def send_photo(phone, slug, photo, filename):
    """Post practical work with a photo, as the lesson's form does; return (status, flash messages)."""
    code = phone.send_work(slug, {"text": "Mon étal"}, {"photo": (filename, photo)})
    _status, after = phone.get(f"/lessons/{slug}")
    return code, [html.unescape(m) for m in re.findall(r'class="flash flash-(?:error|success)"[^>]*>\s*([^<]+)', after)]


def report(label, server, phones, slug, photo, filename, budget=None):
    results, before, growth, after, seconds = at_once(server, len(phones),
                                                      lambda i: send_photo(phones[i], slug, photo, filename))
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
        instance = prepared_instance(tmp, COURSE, AT_ONCE, PASSWORD)

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
