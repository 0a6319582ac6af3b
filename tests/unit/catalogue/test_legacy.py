"""An older Carpentries page's kramdown and Liquid become boxes, languages and links: same lines, code untouched."""
import re
from html import unescape
from pathlib import Path

from lms.catalogue.foreign import ForeignMarkup
from lms.catalogue.kramdown import LegacyText
from lms.catalogue.specs import Problems


class Reader:
    """What LegacyText needs of a reader: where to report, and how to name the file."""

    def __init__(self):
        self.problems = Problems()

    def rel(self, path):
        return str(path)


def convert(body, page=None, site=None):
    reader = Reader()
    text = LegacyText(reader, Path("_episodes/01-intro.md"), 7, page=page, site=site)
    return text.convert(body), text, reader.problems


def render(markdown):
    problems = Problems()
    markup = ForeignMarkup("lesson.md", "en", problems, resolve_image=lambda src, line: None,
                           resolve_link=lambda target, line: target)
    return markup.render(markdown).html


CHALLENGE = """\
Some text.

> ## Sum it up
>
> What is `{{ 1 + 1 }}`?
>
> > ## Solution
> >
> > ~~~
> > {: .not-an-attribute}
> > ~~~
> > {: .output}
> {: .solution}
{: .challenge}

After."""


def test_a_challenge_with_its_solution_becomes_a_box_with_a_folded_answer_on_the_same_lines():
    converted, _text, problems = convert(CHALLENGE)
    lines = converted.split("\n")
    assert len(lines) == len(CHALLENGE.split("\n"))
    assert lines[1] == "::: challenge" and lines[2] == "## Sum it up" and lines[4] == "What is `{{ 1 + 1 }}`?"
    assert lines[5] == "::: solution" and lines[6] == ""  # "## Solution": the fold says it already
    assert lines[8:11] == ["~~~output", "{: .not-an-attribute}", "~~~"]
    assert lines[12:14] == [":::", ":::"] and lines[15] == "After."
    html = render(converted)
    assert '<div class="block block-challenge">' in html and '<details class="block block-solution">' in html
    assert "<code>{{ 1 + 1 }}</code>" in html and "{: .not-an-attribute}\n</code>" in html
    assert not problems


def test_code_languages_come_from_the_attribute_after_a_fence_or_an_indented_block():
    body = "~~~\n$ ls\n~~~\n{: .language-bash}\n\nSay:\n\n    print('hi')\n{: .language-python}\n\n1. ~~~\n   $ cd\n   ~~~\n   {: .language-bash}\n"
    converted, _text, _problems = convert(body)
    assert converted.split("\n") == ["~~~bash", "$ ls", "~~~", "", "", "Say:", "~~~python", "print('hi')", "~~~",
                                     "", "1. ~~~bash", "   $ cd", "   ~~~", "", ""]
    html = render(converted)
    assert '<code class="language-bash">$ ls\n</code>' in html and '<code class="language-python">print(\'hi\')\n</code>' in html
    assert "<li>\n<pre><code class=\"language-bash\">$ cd\n</code></pre>" in html
    assert convert("~~~ {.python}\nx = 1\n~~~\n")[0] == "~~~python\nx = 1\n~~~\n"  # the older Pandoc spelling


def test_liquid_links_resolve_and_unknown_liquid_is_removed_with_a_warning_at_its_line():
    body = ("See [commit]({{ page.root }}{% link reference.md %}#commit) and [setup]({{ page.root}}/02-setup/).\n"
            "Code stays: `{{ page.root }}` and `{% link x.md %}`.\n"
            "[GitHub]({{ site.github }}) by {{ page.author }}; {% if x %}shown{% endif %} {{ unknown.thing }}\n"
            "{% include links.md %}")
    converted, text, problems = convert(body, page={"author": "Ada"}, site={"github": "https://github.com"})
    lines = converted.split("\n")
    assert lines[0] == "See [commit](/reference.md#commit) and [setup](/02-setup/)."
    assert lines[1] == "Code stays: `{{ page.root }}` and `{% link x.md %}`."
    assert lines[2] == "[GitHub](https://github.com) by Ada; shown "
    assert lines[3] == "" and text.wants_links == 10  # its line: a missing links.md is reported there
    assert [(p.file, p.line) for p in problems] == [("_episodes/01-intro.md", 9)] * 3
    assert "{% if x %}" in problems[0].message and "unknown.thing" in problems[2].message


def test_boxes_of_every_kind_and_plain_quotes_stay_quotes():
    body = "> Note this.\n{: .callout}\n\n> --- A. Person\n{: .quotation}\n\n> ## Before you start\n> You need a shell.\n{: .prereq}\n"
    converted, text, _problems = convert(body)
    lines = converted.split("\n")
    assert lines[0] == "::: callout" and text.lead == 1  # the text now starts one line higher, over the header's end
    assert lines[1:] == ["Note this.", ":::", "", "> --- A. Person", "", "::: prereq", "## Before you start",
                         "You need a shell.", ":::", ""]


def test_a_lazy_line_stays_in_its_box():
    body = "\n> ## Exiting Vim\n>\n> Press Esc\nthen type `:q!`.\n> Done.\n{: .callout}\n"
    converted, _text, _problems = convert(body)
    assert converted.split("\n") == ["::: callout", "## Exiting Vim", "", "Press Esc", "then type `:q!`.", "Done.", ":::", ""]


def test_a_box_right_after_another_keeps_the_lines_below_where_they_were():
    body = "Line one.\n> Two.\n{: .callout}\n> Four.\n{: .discussion}\n\n\nLine eight.\n\nLine ten."
    converted, _text, _problems = convert(body)
    lines = converted.split("\n")
    assert lines[:8] == ["Line one.", "::: callout", "Two.", ":::", "::: discussion", "Four.", ":::", "Line eight."]
    assert lines[9] == "Line ten." and len(lines) == len(body.split("\n"))


def test_glossary_terms_get_kramdown_anchors_and_inline_attributes_vanish():
    body = "{:auto_ids}\nversion control\n:   a tool\n\nA [word](#version-control){: .term} and *this*{: style=\"x\"}.\n"
    converted, _text, _problems = convert(body)
    assert converted.split("\n")[:5] == ["", '<span id="version-control"></span>version control', ":   a tool", "",
                                         "A [word](#version-control) and *this*."]
    html = render(converted)
    assert '<dt><span id="version-control"></span>version control</dt>' in html


def test_liquid_comments_are_dropped_and_markdown_attributes_on_html_removed():
    body = '{% comment %}\nhidden\n{% endcomment %}\n<div markdown="1">\n\n**bold**\n\n</div>'
    converted, _text, problems = convert(body)
    assert converted.split("\n")[:4] == ["", "", "", "<div>"]
    assert not problems
    assert "<strong>bold</strong>" in render(converted)


def test_code_spans_and_fences_are_byte_for_byte_what_was_written():
    source = "Type `{: .callout}` then `` `{{ x }}` `` and ``{% raw %}``.\n\n```\n> {: .challenge}\n{{ page.root }}\n```\n{: .source}\n"
    converted, _text, problems = convert(source)
    html = render(converted)
    spans = [unescape(code) for code in re.findall(r"<code[^>]*>(.*?)</code>", html, re.S)]
    assert spans == ["{: .callout}", "`{{ x }}`", "{% raw %}", "> {: .challenge}\n{{ page.root }}\n"]
    assert not problems


def test_a_figure_include_becomes_its_image_even_when_the_tag_runs_over_several_lines():
    body = ('Connect:\n\n{% include figure.html url="" max-width="50%"\n   file="/fig/connect.svg"\n'
            '   alt="Connect to [the] cluster" caption="" %}\n\nSee {% include figure.html file="fig/a.png" alt="A" %}.\n')
    converted, _text, problems = convert(body)
    assert converted.split("\n") == ["Connect:", "", "", "", "![Connect to \\[the\\] cluster](/fig/connect.svg)", "",
                                     "See ![A](/fig/a.png).", ""]
    assert not problems


def test_indented_code_right_after_a_box_keeps_its_blank_lines_and_gets_its_language():
    converted, _text, _problems = convert("> Note\n{: .callout}\n\n    x = 1\n\n\n    y = 2\n{: .language-python}\nend")
    assert converted.split("\n") == ["::: callout", "Note", ":::", "~~~python", "x = 1", "", "", "y = 2", "~~~", "end"]
    assert '<code class="language-python">x = 1\n\n\ny = 2\n</code>' in render(converted)
