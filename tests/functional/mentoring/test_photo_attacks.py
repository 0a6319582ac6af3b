"""Attacks through practical-work photos: decompression bombs and broken files are refused, nothing is stored."""
import io
from pathlib import Path

import pytest
from PIL import Image

from lms.extensions import db
from lms.mentoring.models import Submission

pytestmark = pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")


def encoded(size, mode="RGB", format="PNG", colour=0):
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, format)
    return buffer.getvalue()


def send_work(client, photo, name="etal.png", text=None):
    data = {"photo": (io.BytesIO(photo), name)}
    if text:
        data["text"] = text
    page = client.submit("/lessons/market-stall/work", data, content_type="multipart/form-data",
                         follow_redirects=True)
    return page.get_data(as_text=True)


def stored_photos(app):
    folder = Path(app.instance_path) / "uploads"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_decompression_bomb_is_refused_with_a_clear_message_and_nothing_is_stored(app, client, cohort, sign_in):
    bomb = encoded((10_000, 10_000), mode="1")  # ~12 KB that would decode to 400 MB
    sign_in("mariam")
    page = send_work(client, bomb, text="Mon étal.")
    assert "This photo has too many pixels (50 megapixels at most)." in page
    assert db.session.execute(db.select(Submission)).first() is None
    assert stored_photos(app) == []


def test_a_png_too_large_to_decode_is_refused_too(app, client, cohort, sign_in):
    sign_in("mariam")
    page = send_work(client, encoded((5000, 4000)))  # 20 MP PNG: PNGs are decoded whole
    assert "This photo has too many pixels (16 megapixels at most)." in page
    assert db.session.execute(db.select(Submission)).first() is None and stored_photos(app) == []


def test_the_site_sets_the_limit(app, client, cohort, sign_in):
    app.config["UPLOAD_MAX_PIXELS"] = 2_000_000
    sign_in("mariam")
    page = send_work(client, encoded((2000, 1500), format="JPEG"), name="etal.jpg")
    assert "This photo has too many pixels (2 megapixels at most)." in page
    assert stored_photos(app) == []


def test_a_truncated_photo_is_a_clear_error(app, client, cohort, sign_in):
    photo = encoded((1200, 900), format="JPEG", colour=(200, 120, 40))
    sign_in("mariam")
    page = send_work(client, photo[: len(photo) // 3], name="etal.jpg")
    assert "This photo arrived damaged or incomplete. Send it again." in page
    assert db.session.execute(db.select(Submission)).first() is None and stored_photos(app) == []


def test_a_big_phone_photo_still_works_and_is_reduced(app, client, cohort, sign_in):
    photo = encoded((8000, 6000), format="JPEG", colour=(200, 120, 40))  # 48 MP, as some phones take them
    sign_in("mariam")
    assert "Your work is sent to Awa Koné." in send_work(client, photo, name="etal.jpg")
    submission = db.session.execute(db.select(Submission)).scalar_one()
    assert stored_photos(app) == [submission.photo]
    assert Image.open(Path(app.instance_path) / "uploads" / submission.photo).size == (1600, 1200)


def test_a_photo_for_work_the_rules_refuse_is_not_kept(app, client, cohort, sign_in):
    photo = encoded((800, 600), format="JPEG", colour=(200, 120, 40))
    sign_in("mariam")
    send_work(client, photo, name="etal.jpg")
    page = send_work(client, photo, name="etal.jpg")  # the first round is still waiting for review
    assert "Your last work has not been reviewed yet." in page
    assert len(stored_photos(app)) == 1
