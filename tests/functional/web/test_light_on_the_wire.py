"""Every byte costs the learner money: compressed pages, files cached for a year, 304 for pages seen before."""
import gzip
import re

import brotli
from flask import url_for


def test_pages_are_compressed_with_brotli_when_the_browser_accepts_it(client, course):
    plain = client.get("/lessons/market-stall").get_data()
    response = client.get("/lessons/market-stall", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert len(response.get_data()) < len(plain) / 2
    assert b"Awa sells mangoes" in brotli.decompress(response.get_data())


def test_gzip_for_older_browsers_and_nothing_for_those_that_ask_for_nothing(client, course):
    response = client.get("/paths/market", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert b"Selling at the market" in gzip.decompress(response.get_data())
    assert "Content-Encoding" not in client.get("/paths/market", headers={"Accept-Encoding": "identity"}).headers
    assert "Content-Encoding" not in client.get("/paths/market", headers={"Accept-Encoding": "br;q=0"}).headers


def test_tiny_answers_and_images_are_sent_as_they_are(client, course):
    assert "Content-Encoding" not in client.get("/healthz", headers={"Accept-Encoding": "br"}).headers
    page = client.get("/lessons/market-stall").get_data(as_text=True)
    image = re.search(r'<img[^>]* src="(/media/[^"]+)"', page).group(1)
    response = client.get(image, headers={"Accept-Encoding": "br"})
    assert response.status_code == 200 and "Content-Encoding" not in response.headers


def test_static_files_carry_their_hash_and_are_kept_for_a_year(client, course):
    page = client.get("/").get_data(as_text=True)
    stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]{10}\.css)"', page).group(1)
    scripts = re.findall(r'<script src="(/static/js/[a-z-]+\.[0-9a-f]{10}\.js)"[^>]* defer>', page)
    assert len(scripts) == 2
    response = client.get(stylesheet, headers={"Accept-Encoding": "br"})
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "br"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Set-Cookie" not in response.headers and "Cookie" not in response.headers.get("Vary", "")
    assert b".top{" in brotli.decompress(response.get_data())


def test_plain_static_names_still_work_and_are_revalidated(app, client, course):
    with app.test_request_context():
        plain = url_for("static", filename="css/app.css")
    response = client.get(plain)
    assert response.status_code == 200 and "no-cache" in response.headers["Cache-Control"]
    assert client.get(plain, headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    stale = client.get("/static/css/app.0123456789.css")  # a page cached before an update
    assert stale.status_code == 200 and "immutable" not in stale.headers["Cache-Control"]
    assert client.get("/static/css/nothing.css").status_code == 404
    assert client.get("/static/../config.py").status_code == 404


def test_a_page_seen_before_is_answered_304_even_though_its_form_token_is_signed_anew(client, course):
    first = client.get("/paths/market")
    assert first.headers["ETag"].startswith('W/"')
    assert first.headers["Cache-Control"] == "private, no-cache"
    again = client.get("/paths/market", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    french = client.get("/paths/market", headers={"Accept-Language": "fr", "If-None-Match": first.headers["ETag"]})
    assert french.status_code == 200


def test_a_page_kept_from_another_session_is_sent_again_since_its_form_token_no_longer_works(client, course):
    seen = client.get("/paths/market").headers["ETag"]
    client.delete_cookie("session")
    assert client.get("/paths/market", headers={"If-None-Match": seen}).status_code == 200


def test_signing_out_clears_the_browser_cache(client, learner, sign_in):
    sign_in("mariam")
    response = client.submit("/sign-out")
    assert response.headers["Clear-Site-Data"] == '"cache"'
