"""Render lessons written elsewhere (plain folders, Carpentries, MkDocs…) with a CommonMark/GFM parser.

Our own format keeps Python-Markdown (lms.core.markdown.render). Lessons from
elsewhere were written for CommonMark renderers (GitHub, Pandoc, MkDocs with
superfences), so they are parsed by markdown-it-py, which follows the CommonMark
spec exactly and in linear time. Images and links are rewritten on the parsed
tokens, never on the text, so code spans and code blocks stay byte for byte what
the author wrote, whatever they contain (`<img>`, `[x](y)`, `:::`).
"""
import re
from html import escape, unescape

from lms.catalogue.markup import (
    ALT_ATTR, BLOCK_LABELS, FOLDED, LessonMarkup, Rendered, contents, headings_outside_blocks,
)
from lms.core.markdown import PAGE_IDS, count_words, plain_text, sanitise

# `::: name`, `::: {.name}`; with Docusaurus' title, `:::tip[Be quick]` or `:::tip Be quick`
OPEN_DIV = re.compile(r"^(:{3,})\s*\{?\s*\.?([A-Za-z][\w-]*)\s*\}?"
                      r"(?:\s*\[(?P<title>[^\]\n]*)\]|\s+(?P<words>[^:{}\[\]\n]*?))?\s*:*\s*$")
CLOSE_DIV = re.compile(r"^:{3,}\s*$")
FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})")
ALT_ATTRS = re.compile(r"""^\s*\{[^}\n]*?\balt\s*=\s*(?:'(?P<a>[^']*)'|"(?P<b>[^"]*)")[^}\n]*\}""")
ANY_ATTRS = re.compile(r"^\s*\{[:.#][^}\n]*\}")
HEADING_ID = re.compile(r"\s*\{:?\s*#(?P<id>[A-Za-z][\w.:-]*)[^}]*\}\s*$")
OWN_HEADING = re.compile(r"^ {0,3}#{1,6}\s+(?P<text>.*?)\s*#*\s*$")
HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.I)
IFRAME = re.compile(r"<iframe\b(?P<attrs>[^>]*)>(?:.*?</iframe\s*>)?", re.I | re.S)
SPAN_ATTRS = re.compile(r"\]\{(?P<attrs>\s*[#.][^{}\n]*|\s*[\w-]+=[^{}\n]*)\}")  # Pandoc: [text]{#id .class}
INLINE_ATTRS = re.compile(r"^\s?\{:?(?P<attrs>\s*[#.][^{}\n]*)\}")
SPAN_ID = re.compile(r"(?:^|\s)#(?P<id>[A-Za-z][\w:.-]*)")
# mkdocstrings' `::: package.name` (also as a heading, in a quote), mkdocs-click's `::: mkdocs-click` + options
PLUGIN_DIRECTIVE = re.compile(r"^(?: {0,3}> ?)* {0,3}(?:#{1,6}\s+)?:{3}\s*(?P<name>[\w.-]+)\s*$")
PLUGIN_LEFT_OUT = ("Non repris ici : la partie qu’une extension du site écrit à partir de « %s ».",
                   "Not included here: the part a plugin of the site writes from “%s”.")
PLUGIN_OPTION = re.compile(r"^\s{2,}:?[\w-]+:(?:\s|$)")
A_TAG = re.compile(r"<a\b(?P<attrs>[^>]*)>", re.I)
ATTR = re.compile(r"""\b(?P<name>[a-z-]+)\s*=\s*(?:"(?P<a>[^"]*)"|'(?P<b>[^']*)')""", re.I)
ADMONITIONS = {"note": "callout", "info": "callout", "abstract": "callout", "tip": "tip", "hint": "tip",
               "warning": "warning", "caution": "caution", "danger": "warning", "example": "example",
               "question": "questions", "failure": "warning", "bug": "warning", "success": "tip", "quote": "callout"}
TRAINER_BLOCKS = {"instructor"}
INCLUDE = re.compile(r"""^(?P<indent>\s*)(?:--8<--\s*(?:"(?P<snippet>[^"]+)"|'(?P<snippet2>[^']+)')"""
                     r"""|\{\{#(?P<kind>[a-z_]+)\s+(?P<file>[^}\s]+)\s*\}\})\s*$""")
INCLUDE_MISSING = ("Non repris ici : le fichier « %s », que cette page inclut, n’est pas dans le dossier.",
                   "Not included here: the file “%s” this page includes is not in the folder.")
MAX_INCLUDED = 1024 * 1024  # the text a lesson may include from other files, all together
TEMPLATE_TAG = re.compile(r"^ {0,3}\{%-?\s*(?P<name>[A-Za-z][\w-]*)(?P<rest>[^%]*?)-?%\}\s*$")
GITBOOK_HINTS = {"info": "callout", "success": "tip", "warning": "warning", "danger": "warning"}
MAX_NESTING = 100  # markdown-it-py's own limit on nested blocks, so that a hostile file costs little


def parser():
    """Return the CommonMark parser with the GFM and documentation extensions lessons use."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.admon import admon_plugin
    from mdit_py_plugins.deflist import deflist_plugin
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.tasklists import tasklists_plugin

    md = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough"])
    return md.use(deflist_plugin).use(footnote_plugin).use(tasklists_plugin).use(admon_plugin)


def _unique(anchor, used):
    """`anchor`, or `anchor-N` with the first free N: one dict look-up per heading, so a
    lesson of a thousand "## Exercise" headings costs no more than a thousand headings."""
    if anchor not in used:
        used[anchor] = 0
        return anchor
    n = used[anchor]
    while True:
        n += 1
        candidate = f"{anchor}-{n}"
        if candidate not in used:
            used[anchor] = n
            used[candidate] = 0
            return candidate


def own_anchor(name):
    """An anchor of the lesson that is also one of the page's own ids (`nav`, `main`…) becomes `nav-1`,
    as a second heading of that name would: the heading and every link to it agree."""
    return f"{name}-1" if name in PAGE_IDS else name


def heading_slug(text):
    """GitHub's anchor for a heading: lowercase, punctuation dropped, spaces to dashes."""
    slug = re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")
    return slug or "section"


class ForeignMarkup(LessonMarkup):
    """Render one foreign lesson body. `title` asks for the lesson's title to be taken from its headings.

    Blocks named in TRAINER_BLOCKS (instructor notes) are rendered apart, into
    `Rendered.trainer_html`, which only trainers and admins are shown.
    """

    def __init__(self, *args, find_title=False, title=None, include=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.find_title = find_title
        self.known_title = title
        self.include = include
        self.strict = False

    def render(self, body, first_line=1):
        lines, numbers = self._includes(body.split("\n"), first_line)
        lines, numbers, trainer = self._divs(lines, numbers)
        md = parser()
        tokens = md.parse("\n".join(lines))
        title = self._title(tokens) if self.find_title else None
        if self.known_title and not self.find_title:
            self._drop_repeated_title(tokens)
        self._walk(tokens, numbers)
        html = sanitise(md.renderer.render(tokens, md.options, {}))
        html = self._finish_images(html)
        outside = headings_outside_blocks(html)
        result = Rendered(html=html, toc=contents([entry for entry in self._toc if entry[1] in outside]))
        result.plain_text = plain_text(html)
        result.words = count_words(result.plain_text)
        result.title = title
        result.trainer_html = ""
        if trainer:
            trainer_lines, trainer_numbers = zip(*trainer)
            trainer_tokens = md.parse("\n".join(trainer_lines))
            self._walk(trainer_tokens, list(trainer_numbers), toc=False)
            result.trainer_html = self._finish_images(sanitise(md.renderer.render(trainer_tokens, md.options, {})))
        return result

    # -- files included by a preprocessor (mdBook, pymdownx.snippets) ----------

    def _includes(self, lines, first_line):
        """Put in the text of the files a line includes, as the site's preprocessor would (in code too:
        that is where mdBook includes code from); every included line keeps the number of the line
        that includes it. One level only, and at most MAX_INCLUDED bytes per lesson."""
        numbers = list(range(first_line, first_line + len(lines)))
        if self.include is None or not any("--8<--" in line or "{{#" in line for line in lines):
            return lines, numbers
        out, out_numbers, budget = [], [], MAX_INCLUDED
        for line, number in zip(lines, numbers):
            found = INCLUDE.match(line)
            if not found:
                out.append(line)
                out_numbers.append(number)
                continue
            kind = found.group("kind")
            target = (found.group("snippet") or found.group("snippet2") or found.group("file") or "").strip()
            if kind not in (None, "include"):
                self.complain(number, f"mdBook's {{{{#{kind}}}}} is not supported: left out")
                continue
            target, _, lines_wanted = target.partition(":") if found.group("file") else (target, "", "")
            text = self.include(target, number) if target and not re.match(r"^[a-z][a-z0-9+.-]*:", target) else None
            if text is None:
                self.complain(number, f"included file not found: {target}")
                fr, en = INCLUDE_MISSING
                out += ["", f"<p><em>[{escape((fr if self.language == 'fr' else en) % target)}]</em></p>", ""]
                out_numbers += [number] * 3  # the reader sees that something is missing, and what
                continue
            if text is False:
                continue
            included = text.split("\n")
            if lines_wanted:
                start, _, end = lines_wanted.partition(":")
                if not all(part.isdigit() or part == "" for part in (start, end)):
                    self.complain(number, f"only line numbers can choose the part included: {lines_wanted}")
                    continue
                first = int(start) - 1 if start else 0
                last = int(end) if end else (len(included) if ":" in lines_wanted else first + 1)
                included = included[max(0, first):last]
            indent = found.group("indent")
            size = sum(len(piece) + 1 for piece in included)
            if size > budget:
                self.complain(number, f"{target} is too large to include here")
                continue
            budget -= size
            if included and included[-1] == "":
                included.pop()
            out += [indent + piece if piece else piece for piece in included]
            out_numbers += [number] * len(included)
        return out, out_numbers

    # -- fenced divs (Pandoc's `:::`), kept apart from code --------------------

    def _divs(self, lines, line_numbers):
        """Turn `::: name` divs into HTML blocks; return (lines, source line of each, trainer lines)."""
        out, numbers, trainer, stack = [], [], [], []
        fence = None
        hidden = 0  # depth of open trainer-only blocks
        skipping = False  # inside the indented options of a plugin directive
        own_heading = None  # the line of a folded block's own heading, said in its summary

        def emit(line, number):
            if hidden:
                trainer.append((line, number))
            else:
                out.append(line)
                numbers.append(number)

        for index, line in enumerate(lines):
            number = line_numbers[index]
            if fence:
                if re.match(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$", line):
                    fence = None
                emit(line, number)
                continue
            if index == own_heading:
                emit("", number)
                continue
            opened = FENCE_OPEN.match(line)
            if opened:
                fence = opened.group(1)
                emit(line, number)
                continue
            if TEMPLATE_TAG.match(line):
                line = self._template_tag(TEMPLATE_TAG.match(line), number)
            if skipping and (not line.strip() or line[:1] in " \t"):
                emit("", number)
                continue  # a plugin directive's options
            skipping = False
            directive = PLUGIN_DIRECTIVE.match(line)
            if directive and ("." in directive.group("name") or PLUGIN_OPTION.match(
                    lines[index + 1] if index + 1 < len(lines) else "")):
                name = directive.group("name")
                self.complain(number, f"'::: {name}' asks a site generator's plugin to write this part; "
                                      "it is left out")
                skipping = True
                fr, en = PLUGIN_LEFT_OUT
                for piece in ("", f"<p><em>[{escape((fr if self.language == 'fr' else en) % name)}]</em></p>", ""):
                    emit(piece, number)  # the reader sees that something is missing, and what
                continue
            div = OPEN_DIV.match(line)
            if div:
                name = div.group(2).lower()
                stack.append((name, number))
                if name in TRAINER_BLOCKS:
                    hidden += 1
                    if hidden == 1:
                        continue
                after = next((i for i in range(index + 1, min(index + 20, len(lines))) if lines[i].strip()), None)
                following = lines[after] if after is not None else ""
                titled = following.lstrip().startswith("#") and name not in FOLDED  # its own heading says it
                heading = OWN_HEADING.match(following) if name in FOLDED else None
                if heading:  # "## Solution" under `::: solution`: the heading is the summary, not a second title
                    own_heading = after
                title = (div.group("title") or div.group("words") or "").strip() or None
                for piece in self._open_block(name, heading.group("text") if heading else None, title):
                    if not (titled and not title and piece.startswith('<p class="block-title">')):
                        emit(piece, number)
                continue
            if CLOSE_DIV.match(line):
                if not stack:
                    self.complain(number, "':::' closes a block that was never opened")
                    continue
                name, _ = stack.pop()
                if name in TRAINER_BLOCKS:
                    hidden -= 1
                    if hidden == 0:
                        trainer.append(("", number))
                        continue
                for piece in ("", "</details>" if name in FOLDED else "</div>", ""):
                    emit(piece, number)
                continue
            emit(line, number)
        for name, number in reversed(stack):
            self.complain(number, f"'::: {name}' is never closed with ':::'")
            for piece in ("", "</details>" if name in FOLDED else "</div>", ""):
                emit(piece, number)
        return out, numbers, trainer

    def _template_tag(self, tag, number):
        """A line that is one template tag (GitBook's `{% hint %}`, `{% tabs %}`, `{% embed %}`, Jekyll's
        `{% include %}`): the boxes and links it means, written as the `:::` boxes read below; the
        others are left out with a warning."""
        name = tag.group("name").lower()
        attrs = {m.group("name").lower(): m.group("a") if m.group("a") is not None else m.group("b")
                 for m in ATTR.finditer(tag.group("rest"))}
        if name == "hint":
            return f"::: {GITBOOK_HINTS.get((attrs.get('style') or 'info').lower(), 'callout')}"
        if name == "tab":
            return f"::: example [{(attrs.get('title') or '').replace(']', '')}]"
        if name in ("endhint", "endtab"):
            return ":::"
        if name in ("tabs", "endtabs", "content-ref", "endcontent-ref"):
            return ""  # the tabs' own boxes, the link inside say it all
        if name == "embed" and re.match(r"^https?://", attrs.get("url") or ""):
            url = escape(attrs["url"])
            return f'<p><a class="video" href="{url}">{escape(attrs.get("caption") or attrs["url"])}</a></p>'
        self.complain(number, f"template tag {{% {name} %}} is not supported: left out")
        return ""

    def _open_block(self, name, heading=None, title=None):
        """The opening lines of a box; a folded box's own heading (its words, its anchor) is its summary.

        A title written on the opening line (Docusaurus) is the box's title; Docusaurus' and MkDocs'
        admonitions (`note`, `danger`…) take the look of the box they mean.
        """
        fr, en = BLOCK_LABELS.get(name, (name.capitalize(), name.capitalize()))
        label = escape(title or (fr if self.language == "fr" else en))
        css = re.sub(r"[^a-z0-9-]", "", name if name in FOLDED or name in BLOCK_LABELS else ADMONITIONS.get(name, name))
        if name in FOLDED:
            if heading:
                explicit = HEADING_ID.search(heading)
                words = parser().renderInline(HEADING_ID.sub("", heading).strip())
                label = re.sub(r"</?(?:a|img)\b[^>]*>", "", words).strip() or label  # a summary is not a link
                if explicit:
                    label = f'<span id="{escape(own_anchor(explicit.group("id")))}">{label}</span>'
            return ["", f'<details class="block block-{css}">', f"<summary>{label}</summary>", ""]
        return ["", f'<div class="block block-{css}">', f'<p class="block-title">{label}</p>', ""]

    # -- the lesson's title -------------------------------------------------

    def _title(self, tokens):
        """Take the first heading as the title when it opens the text and no other heading outranks or equals it.

        A lesson may start with `# Title`, a setext title (`Title` over `=====`),
        or only a `##`/`###` when that is the file's highest level.
        """
        first = next((i for i, t in enumerate(tokens) if t.level == 0
                      and not (t.type == "html_block" and t.content.lstrip().startswith("<!--"))), None)
        if first is None or tokens[first].type != "heading_open":
            return None
        level = int(tokens[first].tag[1])
        if any(t.type == "heading_open" and int(t.tag[1]) <= level for t in tokens[first + 3:]):
            return None
        title = HEADING_ID.sub("", tokens[first + 1].content).strip()
        self._keep_anchor(tokens, first)
        return title or None

    def _keep_anchor(self, tokens, first):
        """Take out the heading at `first` (it is the page's h1), leaving its anchor where it stood:
        links to `page.md#title` still land at the top."""
        explicit = HEADING_ID.search(tokens[first + 1].content)
        anchor = own_anchor(explicit.group("id") if explicit else heading_slug(
            "".join(c.content for c in tokens[first + 1].children or [] if c.type in ("text", "code_inline"))))
        self._title_anchor = anchor
        marker = type(tokens[first])("html_block", "", 0, content=f'<span id="{escape(anchor)}"></span>\n')
        tokens[first:first + 3] = [marker] if tokens[first + 3:] else []  # a page of only a title stays empty

    def _drop_repeated_title(self, tokens):
        """A page whose header names its title and whose text opens with it again shows it once (as the h1)."""
        first = next((i for i, t in enumerate(tokens) if t.level == 0
                      and not (t.type == "html_block" and t.content.lstrip().startswith("<!--"))), None)
        if first is None or tokens[first].type != "heading_open":
            return

        def words(text):
            return re.sub(r"\W+", " ", text).strip().lower()
        if words(HEADING_ID.sub("", tokens[first + 1].content)) == words(self.known_title):
            self._keep_anchor(tokens, first)

    # -- images, links, anchors, on the parsed tokens ------------------------

    def _walk(self, tokens, numbers, toc=True):
        self._toc = [] if toc else getattr(self, "_toc", [])
        used = dict.fromkeys(PAGE_IDS, 0)  # the page's own ids are taken: a heading "nav" is "nav-1"
        if toc and getattr(self, "_title_anchor", None):
            used[self._title_anchor] = 0
        line = numbers[0] if numbers else 1
        for index, token in enumerate(tokens):
            if token.map:
                line = numbers[min(token.map[0], len(numbers) - 1)] if numbers else 1
            if token.type == "heading_open":
                self._heading(token, tokens[index + 1], used, toc)
            elif token.type == "html_block":
                token.content = self._html(token.content, line, block=True)
            elif token.type == "admonition_open":
                kind = (token.info or "").split()[0].lower() if token.info else "note"
                token.attrSet("class", f"block block-{ADMONITIONS.get(kind, 'callout')}")
            elif token.type == "admonition_title_open":
                token.attrSet("class", "block-title")
            elif token.type == "inline" and token.children:
                self._inline(token, line)

    def _heading(self, token, inline, used, toc):
        level = int(token.tag[1])
        if level == 1:  # the page's own title is the only h1
            token.tag = "h2"
        explicit = HEADING_ID.search(inline.content)
        if explicit:
            inline.content = HEADING_ID.sub("", inline.content)
            if inline.children and inline.children[-1].type == "text":
                inline.children[-1].content = HEADING_ID.sub("", inline.children[-1].content)
        text = "".join(c.content for c in inline.children or [] if c.type in ("text", "code_inline"))
        anchor = explicit.group("id") if explicit else heading_slug(text)
        anchor = _unique(anchor, used)
        token.attrSet("id", anchor)
        if toc and token.tag in ("h2", "h3"):
            self._toc.append([int(token.tag[1]), anchor, text.strip()])

    def _inline(self, token, first):
        line = first
        children = token.children
        index = 0
        while index < len(children):
            child = children[index]
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "image":
                self._image(child, children, index, line)
            elif child.type == "link_open":
                self._link(child, children, index, line)
            elif child.type == "html_inline":
                child.content = self._html(child.content, line)
            index += 1
        if any(child.type == "text" and "]{" in child.content for child in children):
            token.children = children = self._spans(children)
        if any(child.type == "text" and child.content.lstrip().startswith("{") for child in children[1:]):
            token.children = self._inline_attrs(children)

    @staticmethod
    def _inline_attrs(children):
        """`**locale**{ #mkdocs-locale }` (attr_list, kramdown) after an inline element: its anchor, not braces."""
        out = []
        for child in children:
            after_element = child.type == "text" and out and out[-1].type != "text"
            attrs = INLINE_ATTRS.match(child.content) if after_element else None
            if attrs:
                anchor = SPAN_ID.search(attrs.group("attrs"))
                if anchor:
                    out.append(type(child)("html_inline", "", 0,
                                           content=f'<span id="{escape(own_anchor(anchor.group("id")))}"></span>'))
                child.content = child.content[attrs.end():]
            out.append(child)
        return out

    @staticmethod
    def _spans(children):
        """Pandoc's bracketed spans, `[absolute path]{#absolute-path}` (a glossary's entries): a <span> that
        keeps its id, instead of brackets and braces shown as they are written."""
        out, opened = [], []  # opened: where each '[' not yet closed stands in `out`
        for child in children:
            if child.type != "text":
                out.append(child)
                continue
            text, start, position = child.content, 0, 0
            while position < len(text):
                char = text[position]
                if char == "[":
                    out.append(type(child)("text", "", 0, content=text[start:position]))
                    opened.append(len(out))
                    out.append(type(child)("text", "", 0, content="["))
                    start = position = position + 1
                    continue
                attrs = SPAN_ATTRS.match(text, position) if char == "]" else None
                if attrs and opened:
                    out.append(type(child)("text", "", 0, content=text[start:position]))
                    anchor = SPAN_ID.search(attrs.group("attrs"))
                    opening = f'<span id="{escape(own_anchor(anchor.group("id")))}">' if anchor else "<span>"
                    out[opened.pop()] = type(child)("html_inline", "", 0, content=opening)
                    out.append(type(child)("html_inline", "", 0, content="</span>"))
                    start = position = attrs.end()
                    continue
                if char == "]" and opened:
                    opened.pop()
                position += 1
            out.append(type(child)("text", "", 0, content=text[start:]))
        return [token for token in out if token.type != "text" or token.content]

    def _image(self, image, children, index, line):
        """Resolve an image; `{alt='…'}` written after it (or on the next line) gives its alt text."""
        following = children[index + 1:index + 3]
        for position, after in enumerate(following):
            if after.type == "softbreak" and position == 0:
                continue
            if after.type == "text":
                attrs = ALT_ATTRS.match(after.content)
                if attrs:
                    image.children = [type(after)("text", "", 0, content=attrs.group("a") or attrs.group("b") or "")]
                    after.content = after.content[attrs.end():]
                    if position == 1:
                        children[index + 1].type = "text"
                        children[index + 1].content = ""
                elif ANY_ATTRS.match(after.content):
                    after.content = after.content[ANY_ATTRS.match(after.content).end():]
            break
        src = image.attrGet("src") or ""
        alt = "".join(c.content for c in image.children or []).strip()
        written = ALT_ATTR.search(alt)  # ![alt='…' .output](…), a Pandoc slip seen in real lessons
        if written:
            alt = written.group("a") if written.group("a") is not None else written.group("b")
            image.children = [type(image)("text", "", 0, content=alt)]
        found = self.resolve_image(src, line)
        if not found:
            if found is None:
                if re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I):
                    self._to_link(image, src, alt or src)  # a remote image cannot be shown offline
                    return
                self.complain(line, f"image not found: {src}")
            self._to_text(image, alt or src)
            return
        self.images[found["small"]] = found
        image.attrSet("src", found["small"])

    def _to_link(self, image, href, text):
        image.type, image.tag, image.nesting = "html_inline", "", 0
        image.content = f'<a href="{escape(href)}">{escape(text)}</a>'
        image.children = None

    def _to_text(self, image, text):
        image.type, image.tag, image.nesting = "html_inline", "", 0
        image.content = f"<em>[{escape(text)}]</em>"
        image.children = None

    def _link(self, link, children, index, line):
        href = link.attrGet("href") or ""
        if href.startswith("#"):
            link.attrSet("href", "#" + own_anchor(href[1:]))
        if not href or href.startswith("#") or re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I):
            return
        url = self.resolve_link(href, line)
        if url:
            link.attrSet("href", _own_fragment(url))
            return
        if url is None:
            self.complain(line, f"link to unknown lesson or file: {href}")
        depth = 0
        for other in children[index:]:  # keep the words, drop the link that leads nowhere
            if other.type == "link_open":
                depth += 1
            elif other.type == "link_close":
                depth -= 1
            if other.type in ("link_open", "link_close") and depth in (0, 1):
                other.type, other.tag, other.nesting, other.content = "text", "", 0, ""
            if depth == 0:
                break

    def _html(self, html, line, block=False):
        """Images named in raw HTML are resolved too; an <iframe> (a video) becomes a link with its title."""
        def image(match):
            attrs = {m.group("name").lower(): m.group("a") if m.group("a") is not None else m.group("b")
                     for m in ATTR.finditer(match.group(0))}
            src, alt = attrs.get("src", ""), attrs.get("alt", "")
            found = self.resolve_image(src, line) if src else None
            if found:
                self.images[found["small"]] = found
                return f'<img src="{escape(found["small"])}" alt="{escape(alt)}">'
            if re.match(r"^(https?:)?//", src, re.I):  # a remote image cannot be shown offline: link to it
                return f'<a href="{escape(src if not src.startswith("//") else "https:" + src)}">{escape(alt or src)}</a>'
            if found is None:
                self.complain(line, f"image not found: {src}")
            return f"<em>[{escape(alt or src)}]</em>"

        def iframe(match):
            attrs = {m.group("name").lower(): m.group("a") if m.group("a") is not None else m.group("b")
                     for m in ATTR.finditer(match.group("attrs"))}
            src = attrs.get("src", "")
            if src.startswith("//"):
                src = "https:" + src
            if not re.match(r"^https?://", src):
                return ""
            title = attrs.get("title") or src
            link = f'<a class="video" href="{escape(src)}">{escape(title)}</a>'
            return f"<p>{link}</p>" if block else link

        def anchor(match):
            href = re.search(r"""\bhref\s*=\s*(?:"(?P<a>[^"]*)"|'(?P<b>[^']*)')""", match.group("attrs"), re.I)
            target = unescape(href.group("a") if href and href.group("a") is not None else href.group("b")) \
                if href else ""
            if not target or target.startswith(("#", "//")) or re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
                return match.group(0)
            url = _own_fragment(self.resolve_link(target, line))
            if url is None:
                self.complain(line, f"link to unknown lesson or file: {target}")
            attrs = match.group("attrs")
            kept = f' href="{escape(url)}"' if url else ""  # a link that leads nowhere keeps its words only
            return f"<a{attrs[:href.start()]}{kept}{attrs[href.end():]}>"

        return A_TAG.sub(anchor, HTML_IMAGE.sub(image, IFRAME.sub(iframe, html)))


def _own_fragment(url):
    """A link's `#nav` to another lesson, as own_anchor names it there."""
    if not url or "#" not in url:
        return url
    address, _, fragment = url.partition("#")
    return f"{address}#{own_anchor(fragment)}"


def summary_of(body, limit=500):
    """Return the first real paragraph of a Markdown text as plain words (no badge, heading, block or HTML)."""
    lines = [line for line in body.split("\n") if not OPEN_DIV.match(line) and not CLOSE_DIV.match(line)]
    for token in parser().parse("\n".join(lines)):
        if token.type != "inline" or token.level != 1 or not token.children:
            continue
        if any(child.type == "image" for child in token.children):
            continue  # badges
        words = "".join(" " if child.type in ("softbreak", "hardbreak") else child.content
                        for child in token.children if child.type in ("text", "code_inline", "softbreak", "hardbreak"))
        words = re.sub(r"\s+", " ", words).strip()
        if len(words.split()) >= 5:
            return words[:limit]
    return ""
