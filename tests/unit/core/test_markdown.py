"""The two Markdown profiles: lessons may style boxes; what people type may not, and images stay in /media/."""
import pytest

from lms.core.markdown import media_path, render, render_user_text, sanitise_user_html

ESCAPES = ["/media/../lessons/x", "/media/%2e%2e/lessons/x", "/media/%2E%2E/sign-out", "/media/%252e%252e/x",
           "/media/..%2flessons", "/media/..\\lessons\\x", "/media/%5c..%5cx", "/media//evil.example/x",
           "//evil.example/media/x", "/media/./x.png", "/media/x.png?next=/sign-out", "/media/x.png#a",
           "/media/", "/media", "/mediax/a.png", "/lessons/x", "https://evil.example/media/x.png",
           "/media/a\tb.png", "/media/%0a.png", "/media/a..b.png"]


@pytest.mark.parametrize("url", ESCAPES)
def test_image_urls_that_leave_the_media_folder_are_refused(url):
    assert not media_path(url)


@pytest.mark.parametrize("url", ["/media/3f9a0c.png", "/media/3f9a0c.720.webp", "/media/a%20b.jpg"])
def test_images_in_the_media_folder_are_kept(url):
    assert media_path(url)


@pytest.mark.parametrize("url", [url for url in ESCAPES if "\t" not in url])  # Markdown turns a tab into spaces
def test_user_text_and_lessons_never_make_the_browser_request_another_page(url):
    markdown = f"![look]({url})\n\n<img src=\"{url}\">"
    for html in (render_user_text(markdown), render(markdown)[0]):
        assert "src=" not in html


def test_entity_encoded_dots_are_decoded_before_the_check():
    assert "src=" not in render_user_text('<img src="/media/&#46;&#46;/lessons/x">')


def test_user_text_has_no_classes_ids_or_boxes():
    html = render_user_text(
        '<a class="primary button" href="https://pay.example">Pay here</a>\n\n'
        '## Next steps\n\n'
        '<div class="block block-tip" markdown="1">**Tip**</div>\n\n'
        '<span class="flash flash-success" id="done">Certified</span>\n\n'
        'Plain *text* {: .primary }\n\n![ok](/media/3f9a0c.png)')
    assert "class=" not in html and "id=" not in html
    assert "<div" not in html and "<span" not in html
    assert '<a href="https://pay.example" rel="noopener noreferrer">Pay here</a>' in html
    assert "<h2>Next steps</h2>" in html and "<em>text</em>" in html
    assert '<img alt="ok" src="/media/3f9a0c.png">' in html


def test_stored_html_is_held_to_the_user_profile_when_shown():
    old = '<p><a class="primary button" href="/x">Pay</a><img src="/media/../lessons/x"></p>'
    assert sanitise_user_html(old) == '<p><a href="/x" rel="noopener noreferrer">Pay</a></p>'


def test_a_picture_from_another_site_in_feedback_shows_its_words_not_a_broken_image():
    html = render_user_text("Like this: ![a shop front & sign](http://evil.example/x.png), and ![ok](/media/a.png)")
    assert "a shop front &amp; sign" in html and "evil" not in html
    assert '<img alt="ok" src="/media/a.png">' in html and html.count("<img") == 1


def test_lessons_keep_their_styled_boxes_and_heading_ids():
    html, toc = render('## Prices\n\n<div class="block block-tip" markdown="1">A **tip**</div>')
    assert '<h2 id="prices">Prices</h2>' in html
    assert '<div class="block block-tip">' in html and toc == [[2, "prices", "Prices"]]
