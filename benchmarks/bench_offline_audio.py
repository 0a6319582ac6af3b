"""The path file with its recordings at the limit (16 MB of Opus in all): its size as sent, the time to build and
send it, and the memory Python holds while building it (the centre's machine has 2 GB).

Run: .venv/bin/python benchmarks/bench_offline_audio.py
The recordings are random bytes of the sizes a real path would have: building the file only encodes them.
"""
import os
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

from _server import ROOT, lms

ACTION = "http://192.168.1.10/offline/progress"


def main():
    from flask_login import login_user

    from lms import create_app
    from lms.accounts import services as accounts
    from lms.catalogue import queries as catalogue
    from lms.catalogue.media import media_folder
    from lms.extensions import db
    from lms.offline import build

    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp) / "instance"
        lms(instance, "init")
        lms(instance, "import-courses", str(ROOT / "courses"))
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance}/lms.sqlite3", "WTF_CSRF_ENABLED": False},
                         instance_path=str(instance))
        with app.app_context():
            path = catalogue.list_paths()[0]
            lessons = catalogue.active_lessons(path)
            each = build.MAX_AUDIO_BYTES // len(lessons)
            folder = media_folder(app)
            folder.mkdir(parents=True, exist_ok=True)
            for number, lesson in enumerate(lessons):
                text, _fallback = lesson.text("fr")
                (folder / f"bench-{number}.ogg").write_bytes(os.urandom(each))
                text.audio = {"url": f"/media/bench-{number}.ogg", "seconds": each // 3000, "bytes": each}
            accounts.create_user("amina", "une phrase de passe", roles=("admin",), display_name="Amina Diallo")
            user = accounts.create_user("mariam", "une phrase de passe", roles=("learner",),
                                        display_name="Mariam Camara", locale="fr")
            db.session.commit()
            slug, user_id = path.slug, user.id
        print(f"path {slug}: {len(lessons)} lessons, {each / 1048576:.1f} MB of recordings each, "
              f"{each * len(lessons) / 1048576:.1f} MB in all (limit {build.MAX_AUDIO_BYTES / 1048576:.0f} MB)")

        with app.test_request_context("/", base_url="http://192.168.1.10"):
            user = db.session.get(type(user), user_id)
            login_user(user)
            path = catalogue.get_path(slug)
            tracemalloc.start()
            t0 = time.perf_counter()
            made = build.build_file(user, path, "fr", ACTION, audio=True)
            built = time.perf_counter() - t0
            _now, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            print(f"build: {built * 1000:.0f} ms, file {made.size / 1048576:.1f} MB, "
                  f"Python memory at its peak {peak / 1048576:.0f} MB")
            del made

        client = app.test_client()
        signed = client.post("/sign-in", data={"username": "mariam", "password": "une phrase de passe"})
        assert signed.status_code == 302, signed.status_code
        for encoding in ("br", "gzip", "identity"):
            t0 = time.perf_counter()
            response = client.get(f"/offline/paths/{slug}/file?audio=on", headers={"Accept-Encoding": encoding})
            sent = time.perf_counter() - t0
            print(f"download ({encoding:8}): {response.status_code}, {len(response.data) / 1048576:.1f} MB sent, "
                  f"{sent * 1000:.0f} ms")
        print(f"process peak resident memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
