"""Lessons from elsewhere, parsed as CommonMark/GFM: code intact, titles, anchors, videos, nested lists."""
import re
from html import unescape

from lms.catalogue.foreign import ForeignMarkup
from lms.catalogue.specs import Problems

FIGURE = {"small": "/media/abc.png", "full": "/media/abc.png", "width": 10, "height": 5, "size": 100}


def render(body, images=None, links=None, title=False, language="en"):
    problems = Problems()
    markup = ForeignMarkup("lesson.md", language, problems,
                           resolve_image=lambda src, line: (images or {}).get(src),
                           resolve_link=lambda target, line: (links or {}).get(target), find_title=title)
    return markup.render(body), problems


def test_code_spans_and_blocks_that_teach_html_or_markdown_stay_exactly_as_written():
    body = ("Write `<img src=\"cat.png\" alt=\"a cat\">` or `![a cat](cat.png)` or `[home](index.md)`.\n\n"
            "```markdown\n![logo](logo.png)\n[next](next.md)\n::: tip\n```\n")
    result, problems = render(body, images={"cat.png": FIGURE}, links={"index.md": "/lessons/x"})
    spans = [unescape(code) for code in re.findall(r"<code[^>]*>(.*?)</code>", result.html, re.S)]
    assert spans == ['<img src="cat.png" alt="a cat">', "![a cat](cat.png)", "[home](index.md)",
                     "![logo](logo.png)\n[next](next.md)\n::: tip\n"]
    assert not problems


def test_commonmark_nested_lists_indented_fences_and_markdown_inside_html():
    body = "1. Step\n   - three-space child\n\n   ```bash\n   ls -l\n   ```\n\n<div>\n\n**bold**\n\n</div>\n"
    result, _ = render(body)
    assert re.search(r"<ol>\s*<li>\s*<p>Step</p>\s*<ul>\s*<li>three-space child</li>", result.html)
    assert '<pre><code class="language-bash">ls -l\n</code></pre>' in result.html
    assert "<strong>bold</strong>" in result.html and "```" not in result.html


def test_titles_come_from_a_setext_heading_or_a_lone_lower_heading():
    result, _ = render("Elements and tags\n=================\n\nText.\n", title=True)
    assert result.title == "Elements and tags" and "<h" not in result.html
    result, _ = render("### Introduction\n\nText.\n", title=True)
    assert result.title == "Introduction"
    result, _ = render("### Introduction\n\nText.\n\n### Lesson overview\n\nMore.\n", title=True)
    assert result.title is None and 'id="lesson-overview"' in result.html
    assert [entry[1] for entry in result.toc] == ["introduction", "lesson-overview"]


def test_anchors_keep_their_ids_sanitised():
    body = '##### Deep part\n\n<span id="target">here</span> <span id="main">no</span> [go](#target)\n\n## Custom {#my-id}\n'
    result, _ = render(body)
    assert '<h5 id="deep-part">' in result.html and '<span id="target">' in result.html
    assert 'id="main"' not in result.html  # never one of the page's own ids
    assert '<h2 id="my-id">Custom</h2>' in result.html and 'href="#target"' in result.html


def test_a_video_iframe_becomes_a_link_with_its_title():
    result, _ = render('<iframe src="https://www.youtube.com/embed/abc" title="Intro to HTML"></iframe>\n')
    assert '<a class="video" href="https://www.youtube.com/embed/abc"' in result.html
    assert "Intro to HTML</a>" in result.html and "<iframe" not in result.html


def test_images_alt_attributes_remote_images_and_missing_ones():
    body = ("![](fig/a.png){alt='A chart'}\n\n<img src=\"fig/a.png\" alt=\"again\">\n\n"
            "![remote](https://example.org/x.png)\n\n![gone](fig/gone.png)\n")
    result, problems = render(body, images={"fig/a.png": FIGURE})
    assert result.html.count('src="/media/abc.png"') == 2 and 'alt="A chart"' in result.html
    assert '<a href="https://example.org/x.png" rel="noopener noreferrer">remote</a>' in result.html
    assert [str(p) for p in problems] == ["lesson.md:7: warning: image not found: fig/gone.png"]
    assert "{alt=" not in result.html


def test_fenced_divs_nest_and_instructor_notes_are_kept_apart():
    body = ("::::: challenge\nTry.\n::: solution\nAnswer.\n:::\n:::::\n\n::: instructor\nWatch the time.\n:::\n"
            "\n::: callout\n## Note\nText\n:::\n")
    result, _ = render(body)
    assert '<details class="block block-solution">' in result.html and "Answer." in result.html
    assert "Watch the time" not in result.html and "Watch the time" in result.trainer_html
    assert ":::" not in result.html


def test_a_broken_link_keeps_its_words_and_is_reported_at_its_line():
    result, problems = render("Intro\n\nSee [the next part](missing.md) now.\n")
    assert "See the next part now." in result.html
    assert [str(p) for p in problems] == ["lesson.md:3: warning: link to unknown lesson or file: missing.md"]


def test_repeated_headings_get_distinct_anchors_without_taking_an_explicit_one():
    body = "## Part\n\n## Part\n\n## Part {#part-1}\n\n## Part\n"
    result, _ = render(body)
    assert re.findall(r'<h2 id="([^"]+)"', result.html) == ["part", "part-1", "part-1-1", "part-2"]


def test_a_thousand_headings_of_the_same_title_all_get_their_own_anchor():
    result, _ = render("## Exercise\n\nDo it.\n\n" * 1000)
    anchors = re.findall(r'<h2 id="([^"]+)"', result.html)
    assert len(set(anchors)) == 1000 and anchors[-1] == "exercise-999"
