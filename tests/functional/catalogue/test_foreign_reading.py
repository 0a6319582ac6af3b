"""Foreign lessons read page by page as a learner would: what an audit of real sources found wrong, as rules.

(benchmarks/audit_import.py reads whole sources this way; these small trees keep each rule.)
"""
import re
from pathlib import Path

from lms.catalogue.models import LearningPath
from lms.extensions import db

TEXT = "A shop sells cloth at the market every week and keeps its prices in a notebook.\n"


def write(root, files):
    for name, text in files.items():
        path = Path(root) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return Path(root)


def import_folder(runner, folder):
    result = runner.invoke(args=["import-courses", str(folder)])
    assert result.exit_code == 0, result.output
    path = db.session.execute(db.select(LearningPath).filter_by(slug=Path(folder).name)).scalar_one()
    return result, [l for l in path.lessons if l.retired_at is None]


def whole(client, lesson):
    return client.get(f"/lessons/{lesson.slug}?step=all").get_data(as_text=True)


def content(page):
    return page.split('<div class="content">', 1)[1].split('<nav class="prev-next"', 1)[0]


def test_a_glossary_of_bracketed_spans_keeps_its_anchors_and_shows_no_braces(runner, client, tmp_path, admin):
    folder = write(tmp_path / "glossary", {"reference.md": (
        "# Glossary\n\n[absolute path]{#absolute-path}\n:   A [path](#path) from the root.\n\n"
        "[**path**]{#path .term}\n:   Where a file is; not `[x]{#y}`, which is code.\n")})
    _result, (lesson,) = import_folder(runner, folder)
    html = content(whole(client, lesson))
    assert '<span id="absolute-path">absolute path</span>' in html
    assert '<span id="path"><strong>path</strong></span>' in html and 'href="#path"' in html
    assert "<code>[x]{#y}</code>" in html and "]{" not in html.replace("<code>[x]{#y}</code>", "")


def test_an_anchor_written_after_bold_words_is_kept_without_its_braces(runner, client, tmp_path, admin):
    folder = write(tmp_path / "theme", {"theme.md": (
        "# Theme\n\n" + TEXT + "\n*   **`locale`**{ #mkdocs-locale }: the language of the theme.\n"
        "*   **colour**{: .strong }: its colour.\n\nSet [the locale](#mkdocs-locale).\n")})
    _result, (lesson,) = import_folder(runner, folder)
    html = content(whole(client, lesson))
    assert '<strong><code>locale</code></strong><span id="mkdocs-locale"></span>: the language' in html
    assert "<strong>colour</strong>: its colour." in html and 'href="#mkdocs-locale"' in html
    assert "{" not in html


def test_a_folded_solution_says_its_own_heading_once(runner, client, tmp_path, admin):
    folder = write(tmp_path / "folded", {"episodes/01-first.md": (
        "---\ntitle: First\n---\n\n" + TEXT + "\n::: challenge\n\n## Sort the list\n\nSort it.\n\n"
        ":::: solution\n\n## Solution\n\nUse `sort`.\n\n::::\n:::\n\n"
        "::: spoiler\n\n### Windows {#windows}\n\nOpen the Start menu.\n\n:::\n\n[On Windows](#windows)\n"),
        "config.yaml": "title: Folded\nepisodes:\n- 01-first.md\n"})
    _result, (lesson,) = import_folder(runner, folder)
    html = content(whole(client, lesson))
    assert html.count("Solution") == 1 and "<summary>Solution</summary>" in html
    assert '<summary><span id="windows">Windows</span></summary>' in html and ">Windows</h3>" not in html
    assert '<h2 id="sort-the-list">Sort the list</h2>' in html  # a box that is not folded keeps its heading


def test_a_title_from_the_header_is_not_repeated_by_the_first_heading(runner, client, tmp_path, admin):
    folder = write(tmp_path / "titled", {"reference.md": "---\ntitle: 'Summary of Commands'\n---\n\n"
                                                         "## Summary of Commands\n\n" + TEXT + "\n## Later\n\n" + TEXT})
    _result, (lesson,) = import_folder(runner, folder)
    page = whole(client, lesson)
    assert page.count("Summary of Commands</h") == 1 and "<h1>Summary of Commands</h1>" in page
    assert '<h2 id="later">Later</h2>' in page


def test_links_written_in_html_lead_to_lessons_and_unknown_ones_are_said(runner, client, tmp_path, admin):
    folder = write(tmp_path / "html-links", {
        "mkdocs.yml": "nav:\n  - Home: index.md\n  - Start: getting-started.md\n",
        "docs/index.md": "# Home\n\n" + TEXT + '\n<a href="getting-started/" class="btn">Getting Started</a>\n'
                         '<a href="gone.md">Gone</a> <a href="#top">Top</a> <a href="https://example.org/">Out</a>\n',
        "docs/getting-started.md": "# Start\n\n" + TEXT})
    result, lessons = import_folder(runner, folder)
    html = re.sub(r' rel="noopener noreferrer"', "", content(whole(client, lessons[0])))
    assert f'<a href="/lessons/{lessons[1].slug}" class="btn">Getting Started</a>' in html
    assert "html-links/docs/index.md:6: warning: link to unknown lesson or file: gone.md" in result.output
    assert "<a>Gone</a>" in html and 'href="gone.md"' not in html
    assert 'href="#top"' in html and 'href="https://example.org/"' in html


def test_a_site_generator_plugin_directive_is_left_out_with_a_warning(runner, client, tmp_path, admin):
    folder = write(tmp_path / "api-docs", {"api.md": (
        "# API\n\n" + TEXT + "\n::: shop.models.Price\n    options:\n      show_source: false\n\n"
        "#### ::: shop.models.Sale\n\n> #### ::: shop.models.Stock\n\nAfter.\n\n```\n::: not.a.directive\n```\n")})
    result, (lesson,) = import_folder(runner, folder)
    for line, name in ((5, "shop.models.Price"), (9, "shop.models.Sale"), (11, "shop.models.Stock")):
        assert f"api-docs/api.md:{line}: warning: '::: {name}' asks a site generator's plugin" in result.output
    html = content(whole(client, lesson))
    assert "show_source" not in html and "<p>After.</p>" in html
    assert "<p><em>[Not included here: the part a plugin of the site writes from “shop.models.Price”.]</em></p>" in html
    assert "::: not.a.directive" in html and html.count(":::") == 1  # code stays as written


def test_an_anchor_named_like_a_part_of_the_page_still_works(runner, client, tmp_path, admin):
    folder = write(tmp_path / "settings", {
        "mkdocs.yml": "nav:\n  - Settings: settings.md\n  - Start: start.md\n",
        "docs/settings.md": "# Settings\n\n" + TEXT + "\n### nav\n\n" + TEXT + "\n[the nav](#nav), [main]{#main}\n",
        "docs/start.md": "# Start\n\n" + TEXT + "\nSee [nav](settings.md#nav) and [main](settings.md#main).\n"})
    _result, (settings, start) = import_folder(runner, folder)
    html = content(whole(client, settings))
    assert '<h3 id="nav-1">nav</h3>' in html and 'href="#nav-1"' in html and '<span id="main-1">' in html
    assert re.search(rf'href="/lessons/{settings.slug}(\?step=all)?#nav-1"', whole(client, start))
    assert re.search(rf'href="/lessons/{settings.slug}(\?step=all)?#main-1"', whole(client, start))


def test_docusaurus_admonitions_become_boxes_with_their_titles(runner, client, tmp_path, admin):
    folder = write(tmp_path / "docusaurus", {"docs/intro.md": (
        "# Intro\n\n" + TEXT + "\n:::note\n\nA plain note.\n\n:::\n\n:::tip[Be quick]\n\nA tip.\n\n:::\n\n"
        ":::danger Take care\n\nNo credit.\n\n:::\n")})
    result, (lesson,) = import_folder(runner, folder)
    assert "never opened" not in result.output
    html = content(whole(client, lesson))
    assert re.search(r'<div class="block block-callout">\s*<p class="block-title">Note</p>', html)
    assert re.search(r'<div class="block block-tip">\s*<p class="block-title">Be quick</p>', html)
    assert re.search(r'<div class="block block-warning">\s*<p class="block-title">Take care</p>', html)
    assert ":::" not in html


def test_an_mdbook_includes_its_files_and_says_what_it_cannot_include(runner, client, tmp_path, admin):
    folder = write(tmp_path / "shop-book", {
        "book.toml": '[book]\ntitle = "Shop Book"\n',
        "src/SUMMARY.md": "# Summary\n\n- [Stock](stock.md)\n- [Count](count.md)\n",
        "src/stock.md": "# Stock\n\n" + TEXT + "\n```python\n{{#include ../code/count.py:2}}\n```\n\n"
                        "{{#include words.md}}\n\n{{#playground ../code/count.py}}\n",
        "src/words.md": "Words **about** stock.\n",
        "src/count.md": "# Count\n\n" + TEXT + '\n--8<-- "missing.md"\n\nSee [the stock](stock.md#stock).\n',
        "code/count.py": "# count\nprint(1 + 1)\n"})
    result, (stock, count) = import_folder(runner, folder)
    html = content(whole(client, stock))
    assert '<code class="language-python">print(1 + 1)\n</code>' in html and "# count" not in html
    assert "<p>Words <strong>about</strong> stock.</p>" in html and "{{#" not in html
    assert "shop-book/src/stock.md:11: warning: mdBook's {{#playground}} is not supported: left out" in result.output
    assert "shop-book/src/count.md:5: warning: included file not found: missing.md" in result.output
    counted = content(whole(client, count))
    assert "[Not included here: the file “missing.md” this page includes is not in the folder.]" in counted
    # the link to the page's title lands at its top, though the title is the page's h1
    assert re.search(rf'href="/lessons/{stock.slug}(\?step=all)?#stock"', counted)
    assert '<span id="stock"></span>' in html
    # an edit of an included file alone renders the page again
    write(folder, {"src/words.md": "Other words about the stock.\n"})
    result = runner.invoke(args=["import-courses", str(folder)])
    assert "1 updated" in result.output and "Other words" in content(whole(client, stock))


def test_gitbook_hints_tabs_and_embeds_become_boxes_and_links(runner, client, tmp_path, admin):
    folder = write(tmp_path / "gitbook", {
        "SUMMARY.md": "# Table of contents\n\n* [Prices](prices.md)\n",
        "prices.md": "# Prices\n\n" + TEXT + '\n{% hint style="warning" %}\nCheck the **market** first.\n'
                     "{% endhint %}\n\n"
                     '{% tabs %}\n{% tab title="Dry season" %}\nSell water.\n{% endtab %}\n{% endtabs %}\n\n'
                     '{% embed url="https://www.youtube.com/watch?v=abc" %}\n\n{% swagger src="api.yaml" %}\n\n'
                     "```\n{% hint %} stays in code\n```\n"})
    result, (lesson,) = import_folder(runner, folder)
    html = content(whole(client, lesson))
    assert re.search(r'<div class="block block-warning">\s*<p class="block-title">Warning</p>\s*'
                     r"<p>Check the <strong>market</strong> first.</p>", html)
    assert re.search(r'<div class="block block-example">\s*<p class="block-title">Dry season</p>\s*'
                     r"<p>Sell water.</p>", html)
    assert 'class="video" href="https://www.youtube.com/watch?v=abc"' in html
    assert "gitbook/prices.md:17: warning: template tag {% swagger %} is not supported: left out" in result.output
    assert "{% hint %} stays in code" in html and html.count("{%") == 1


def test_a_jekyll_site_without_episodes_gets_its_liquid_and_kramdown_read(runner, client, tmp_path, admin):
    folder = write(tmp_path / "jekyll-docs", {
        "_config.yml": "title: Shop Docs\nbaseurl: /shop\nemail: shop@example.org\n",
        "index.md": "---\nlayout: home\n---\n\n# Shop Docs\n\n" + TEXT,
        "docs/start.md": "---\ntitle: Start\n---\n\n# Start\n{: .no_toc }\n\n1. TOC\n{:toc}\n\n" + TEXT +
                         "\nWrite to {{ site.email }}; read [the prices]({{ site.baseurl }}{% link docs/prices.md %}).\n\n"
                         '{% include note.html content="Bring a notebook." %}\n',
        "docs/prices.md": "---\ntitle: Prices\n---\n\n" + TEXT + "\n~~~\n{{ kept }}\n~~~\n{: .language-liquid}\n\n"
                          '<div class="note" markdown="1">\n**Bold** in a div.\n</div>\n\n{{ site.nothing }}\n',
        "404.md": "---\npermalink: /404.html\n---\n# Not found\n"})
    result, lessons = import_folder(runner, folder)
    assert sorted(l.text("en")[0].title for l in lessons) == ["Prices", "Start"]
    assert "jekyll-docs/docs/start.md:15: warning: Jekyll tag {% include note.html" in result.output
    assert "jekyll-docs/404.md:1: warning: this file has no text: skipped" in result.output
    start = content(whole(client, next(l for l in lessons if l.text("en")[0].title == "Start")))
    prices = next(l for l in lessons if l.text("en")[0].title == "Prices")
    assert "Write to shop@example.org" in start and f'href="/lessons/{prices.slug}"' in start
    assert "TOC" not in start and "{" not in start
    assert '<code class="language-liquid">{{ kept }}\n</code>' in content(whole(client, prices))
    assert "<p><strong>Bold</strong> in a div.</p>" in content(whole(client, prices))
    assert "jekyll-docs/docs/prices.md:16: warning: Liquid variable {{ site.nothing }}" in result.output  # lines kept
