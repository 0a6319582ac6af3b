"""A learner searches from the header of any page, on a phone, without JavaScript."""
import re

import pytest


def results_page(client, **params):
    response = client.get("/search", query_string=params)
    return response, response.get_data(as_text=True)


def titles(html):
    return re.findall(r'<h3><a href="([^"]+)"[^>]*>(.*?)</a></h3>', html)


def test_every_page_has_a_search_box_in_its_header(client, admin):
    html = client.get("/paths").get_data(as_text=True)
    header = html[html.index('<header'):html.index('</header>')]
    assert re.search(r'<form class="search" method="get" action="/search" role="search"', header)
    assert 'name="q"' in header


def test_a_learner_without_accents_finds_the_lesson_with_highlights(client, corpus):
    response, html = results_page(client, q="referencement")
    assert response.status_code == 200
    assert ("/lessons/seo-basics?lang=fr", "Le <mark>référencement</mark> naturel") in titles(html)
    assert "<mark>référencement</mark>" in html
    assert "Be found online" in html  # the path it belongs to, in her language


def test_results_in_the_users_language_come_first_and_the_others_are_labelled(client, corpus):
    _response, html = results_page(client, q="Google")
    assert [href for href, _title in titles(html)] == ["/lessons/seo-basics", "/lessons/seo-basics?lang=fr"]
    assert '<span class="tag" lang="fr">Français</span>' in html

    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr"
    _response, html = results_page(client, q="Google")
    assert [href for href, _title in titles(html)] == ["/lessons/seo-basics", "/lessons/seo-basics?lang=en"]


def test_filters_narrow_the_results_and_stay_selected(client, corpus):
    _response, html = results_page(client, q="Google", lang="en")
    assert len(titles(html)) == 1
    assert '<option value="en" lang="en" selected>' in html

    _response, html = results_page(client, q="référencement", path="bookkeeping")
    assert [href for href, _title in titles(html)] == ["/lessons/cash-book?lang=fr"]
    assert '<option value="bookkeeping" selected>' in html


def test_an_unknown_filter_is_ignored(client, corpus):
    response, html = results_page(client, q="Google", lang="xx", path="nowhere")
    assert response.status_code == 200 and len(titles(html)) == 2


def test_a_typo_is_corrected_and_a_half_typo_gets_a_did_you_mean_link(client, corpus):
    _response, html = results_page(client, q="referencment")
    assert "Showing results for “referencement”" in html
    assert titles(html)

    _response, html = results_page(client, q="Google whatsap")
    assert 'Did you mean: <a href="/search?q=Google+whatsapp">Google whatsapp</a></p>' in html


def test_an_empty_search_explains_what_to_type(client, admin):
    response, html = results_page(client, q="   ")
    assert response.status_code == 200
    assert "Type a few words" in html


def test_an_over_long_search_is_refused_with_a_clear_message(client, corpus):
    response, html = results_page(client, q="vente " * 40)
    assert response.status_code == 400
    assert "Your search is too long: use at most 200 characters" in html
    assert not titles(html)


def test_nothing_found_says_so(client, corpus):
    _response, html = results_page(client, q="zzkqwx")
    assert "No lesson matches “zzkqwx”" in html


def test_results_come_in_pages(client, corpus):
    _response, html = results_page(client, q="astuce")
    assert "12 lessons found" in html and len(titles(html)) == 10
    assert "Page 1 of 2" in html
    next_page = re.search(r'<a rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    html = client.get(next_page).get_data(as_text=True)
    assert len(titles(html)) == 2 and '<ol class="results" start="11">' in html


def test_a_signed_in_learner_sees_her_progress_on_each_result(client, corpus, learner, sign_in):
    sign_in("mariam")
    client.get("/lessons/seo-basics")  # opened: in progress
    client.submit("/lessons/cash-book/done", {})  # done
    _response, html = results_page(client, q="référencement", lang="fr")
    items = dict(re.findall(r'<a href="/lessons/([\w-]+)[^"]*"[^>]*>.*?</h3>(.*?)</li>', html, re.S))
    assert "In progress" in items["seo-basics"]
    assert "Done" in items["cash-book"]
    assert "tag-" not in items["keywords"]


def test_a_private_site_asks_visitors_to_sign_in_first(app, admin, make_app):
    app = make_app(PRIVATE_SITE=True)
    response = app.test_client().get("/search?q=google")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("q", ["<script>alert(1)</script>", "\" onmouseover=\"x"])
def test_what_was_typed_is_shown_escaped(client, corpus, q):
    _response, html = results_page(client, q=q)
    assert "<script>alert" not in html and '" onmouseover="' not in html
