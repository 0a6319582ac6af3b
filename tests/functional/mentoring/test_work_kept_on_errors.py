"""Practical work sent back with errors: the lesson again, with what she typed, each message beside its field."""
import io
import re

import pytest

from lms.extensions import db
from lms.mentoring.models import Submission
from tests import course_tree

PATH = """\
id: shop
title:
  en: Running the shop
  fr: Tenir la boutique
"""

SIGN_EN = """\
---
id: shop-sign
title: A sign for the shop
minutes: 5
---

A sign tells passers-by what you sell.

::: assignment
submit: text, link, photo
Make a sign, then send a photo, a few words and the link to your shop's page.
:::
"""


@pytest.fixture
def shop(runner, tmp_path, admin):
    root = tmp_path / "courses"
    course_tree.write(root / "01-shop" / "path.yaml", PATH)
    course_tree.write(root / "01-shop" / "01-sign.en.md", SIGN_EN)
    result = runner.invoke(args=["import-courses", str(root)])
    assert result.exit_code == 0, result.output


def send_work(client, data, slug="shop-sign"):
    return client.submit(f"/lessons/{slug}/work", data, content_type="multipart/form-data")


def field_html(page, name):
    return re.search(rf'<div class="field[^"]*">\s*<label for="{name}">.*?</div>', page, re.S).group(0)


def test_a_bad_link_keeps_her_text_and_says_so_beside_the_link(client, learner, sign_in, shop):
    sign_in("mariam")
    response = send_work(client, {"text": "Mon enseigne est peinte en bleu.", "link": "mon étal, rue 12"})
    assert response.status_code == 422  # shown again, not redirected
    page = response.get_data(as_text=True)
    assert re.search(r">\s*Mon enseigne est peinte en bleu.</textarea>", page)
    link = field_html(page, "link")
    assert 'value="mon étal, rue 12"' in link and 'aria-invalid="true"' in link
    assert 'aria-describedby="link-error"' in link
    assert re.search(r'<p class="error" id="link-error">.*Type a full address, starting with https://</p>', link)
    assert 'aria-invalid' not in field_html(page, "text")

    summary = re.search(r'<div class="error-summary" id="work-errors"[^>]*>.*?</div>', page, re.S).group(0)
    assert 'tabindex="-1"' in summary and 'href="#link"' in summary
    assert page.count('class="error-summary"') == 1
    assert re.search(r'<form method="post" action="/lessons/shop-sign/work#work-errors"', page)
    assert "<title>Error: A sign for the shop" in page
    assert db.session.execute(db.select(Submission)).first() is None


def test_a_refused_photo_keeps_her_text_and_link_and_asks_for_the_photo_beside_it(client, learner, sign_in, shop):
    sign_in("mariam")
    page = send_work(client, {"text": "Mon enseigne.", "link": "https://mon-etal.sn",
                              "photo": (io.BytesIO(b"not a photo"), "enseigne.jpg")}).get_data(as_text=True)
    assert re.search(r">\s*Mon enseigne.</textarea>", page) and 'value="https://mon-etal.sn"' in page
    photo = field_html(page, "photo")
    assert 'aria-invalid="true"' in photo and "This file is not a photo we can read" in photo
    assert 'aria-describedby="photo-hint photo-error"' in photo
    assert db.session.execute(db.select(Submission)).first() is None


def test_a_photo_sent_with_a_bad_link_is_asked_for_again(client, learner, sign_in, shop):
    sign_in("mariam")
    page = send_work(client, {"link": "mon-etal", "photo": (io.BytesIO(b"\xff\xd8 a photo"), "enseigne.jpg")}
                     ).get_data(as_text=True)
    assert "Choose your photo again: a form sent back cannot keep it." in field_html(page, "photo")


def test_empty_work_is_refused_beside_the_first_field(client, learner, sign_in, shop):
    sign_in("mariam")
    response = send_work(client, {"text": "   ", "link": ""})
    assert response.status_code == 422
    text = field_html(response.get_data(as_text=True), "text")
    assert 'aria-invalid="true"' in text and "Add a text, a link or a photo." in text


def test_good_work_is_still_sent_and_the_page_redirects(client, learner, sign_in, shop):
    sign_in("mariam")
    response = send_work(client, {"text": "Mon enseigne.", "link": "https://mon-etal.sn"})
    assert response.status_code == 302
    assert db.session.execute(db.select(Submission)).scalar_one().link == "https://mon-etal.sn"


def test_work_sent_from_an_old_page_is_refused_with_a_message(client, learner, sign_in, shop):
    sign_in("mariam")
    send_work(client, {"text": "Première version."})
    response = send_work(client, {"text": "Encore."})  # the first round is still waiting for review
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your last work has not been reviewed yet." in page


def test_practical_work_written_in_another_language_is_marked_with_it(client, learner, sign_in, course):
    sign_in("mariam")  # English page of a lesson whose practical work exists in French only
    page = client.get("/lessons/market-stall?lang=en").get_data(as_text=True)
    assert re.search(r'<div lang="fr"><p>Photographiez votre étal.</p>', page)
