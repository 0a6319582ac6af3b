"""Turn the kramdown and Liquid of Jekyll-built lessons into the Markdown ForeignMarkup reads.

The older Carpentries lessons were built by Jekyll, whose kramdown marks boxes
with a class written *after* a block quote (`> …` then `{: .challenge}`) and
code languages after a fence (`~~~` … `~~~` then `{: .language-bash}`), and whose
Liquid writes links (`{{ page.root }}{% link reference.md %}`). LegacyText turns
them into `::: challenge` fenced divs (solutions fold), fence info strings and
plain links. It keeps the count of lines, so that every message still names the
author's own line, and it never touches code blocks or code spans.
"""
import itertools
import re
from html import escape

BOXES = {"challenge", "solution", "callout", "discussion", "checklist", "prereq", "testimonial",
         "keypoints", "objectives", "hint"}
ATTR_LINE = re.compile(r"^\s*\{:(?!:)\s*(?P<body>[^}]*)\}\s*$")
QUOTE = re.compile(r"^ {0,3}> ?")
FENCE = re.compile(r"^(?P<indent>(?: {0,3}(?:[-*+]|\d{1,9}[.)]) +)*\s*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
LIST_ITEM = re.compile(r"^(?P<marker> {0,3}(?:[-*+]|\d{1,9}[.)]))(?P<space> +|$)")
LIQUID = re.compile(r"\{\{-?\s*(?P<var>.*?)\s*-?\}\}|\{%-?\s*(?P<tag>.*?)\s*-?%\}")
COMMENT = re.compile(r"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}")
COMMENT_OPEN = re.compile(r"\{%-?\s*comment\s*-?%\}")
COMMENT_CLOSE = re.compile(r"\{%-?\s*endcomment\s*-?%\}")
ROOT_VARIABLES = {"page.root", "site.root", "relative_root_path", "base_path", "site.baseurl", "site.url"}
SILENT_TAGS = {"raw", "endraw"}
FIGURE_SOURCES = ("file", "src", "path", "image", "filename")
INLINE_ATTRS = re.compile(r"\{:(?!\s*#)[^}\n]*\}|\{::[^}\n]*\}")
HEADING_ATTRS = re.compile(r"\{:[^}\n]*\}")
MARKDOWN_ATTR = re.compile(r"""\s+markdown\s*=\s*(?:"[^"]*"|'[^']*'|\w+)""")
SOLUTION_HEADING = re.compile(r"^#{1,6}\s*solutions?\s*:?\s*#*\s*$", re.I)
DEFINITION = re.compile(r"^ {0,3}:\s")
CLOSE_DIV = re.compile(r"^:{3,}\s*$")
PANDOC_INFO = re.compile(r"^(?P<fence>\s*(?:`{3,}|~{3,}))\s*\{\s*\.?(?P<name>[\w+-]+)[^}]*\}\s*$")  # ~~~ {.python}


def kramdown_id(text):
    """kramdown's automatic id for a term: letters first, then letters, digits and dashes, lowercase."""
    text = re.sub(r"^[^a-zA-Z]+", "", text)
    return re.sub(r"[^a-zA-Z0-9 -]", "", text).replace(" ", "-").lower()


def classify(lines):
    """Sort the lines of one block-quote level: 'blank', 'quote', 'fence', 'code', 'icode' (indented) or 'text'.

    Returns (kinds, opener) where opener maps a closing fence line to its opening line.
    """
    kinds, opener = [], {}
    fence, list_indent, quote_fences = None, 0, 0
    for index, line in enumerate(lines):
        if fence:
            if re.match(rf"^\s*{re.escape(fence[0])}{{{fence[1]},}}\s*$", line):
                kinds.append("fence")
                opener[index] = fence[2]
                fence = None
            else:
                kinds.append("code")
            continue
        if not line.strip():
            kinds.append("blank")
            continue
        expanded = line.expandtabs(4)
        indent = len(expanded) - len(expanded.lstrip())
        previous = kinds[-1] if kinds else "blank"
        if indent >= list_indent + 4 and previous in ("blank", "icode"):
            kinds.append("icode")  # an indented code block (inside a list item: indented past its text)
            continue
        if QUOTE.match(line) or previous == "quote" and lazy(line, lines[index - 1], quote_fences):
            quote_fences = (quote_fences if previous == "quote" else 0) + bool(FENCE.match(line.lstrip("> ")))
            kinds.append("quote")
            continue
        item = LIST_ITEM.match(line)
        if item:
            list_indent = len(item.group("marker")) + max(1, len(item.group("space")))
        elif indent < list_indent and previous == "blank":
            list_indent = 0
        opened = FENCE.match(line)  # also `1. ~~~`: a list item that opens with code
        if opened and not (opened.group("fence")[0] == "`" and "`" in opened.group("info")):
            fence = (opened.group("fence")[0], len(opened.group("fence")), index)
            kinds.append("fence")
            continue
        kinds.append("text")
    return kinds, opener


def lazy(line, last, fences):
    """A line with no '>' that still belongs to the quote above: it goes on the quote's paragraph.

    `last` is the quote's last line and `fences` the count of fence lines in the quote so far
    (odd: the quote ends inside code, and a line without '>' closes it).
    """
    if ATTR_LINE.match(line) or FENCE.match(line) or LIST_ITEM.match(line) or re.match(r"^ {0,3}(#|<|[-*_=]{3,}\s*$)", line):
        return False
    while QUOTE.match(last):
        last = QUOTE.sub("", last, count=1)
    return fences % 2 == 0 and bool(last.strip())


def dequote(lines):
    """Split block-quote lines into (marker, content); a line without marker has an empty one."""
    prefixes, contents = [], []
    for line in lines:
        match = QUOTE.match(line)
        prefixes.append(match.group(0) if match else "")
        contents.append(line[match.end():] if match else line)
    return prefixes, contents


class LegacyText:
    """Turn one legacy page's kramdown attributes and Liquid into Markdown ForeignMarkup renders."""

    def __init__(self, reader, path, first_line, page=None, site=None):
        self.reader, self.path, self.first_line = reader, path, first_line
        self.file = reader.rel(path)
        self.page, self.site = page or {}, site or {}
        self.wants_links = 0  # the line of `{% include links.md %}`: the shared link definitions are appended
        self.owed = 0  # lines added where no blank line could hold a box's opening
        self.lead = 0  # lines added before the first: the text starts that much higher (over the header's end)
        self.depth = 0
        self.auto_ids = False
        self.commenting = False
        self.open_tag = None  # [text so far, line] of a Liquid tag that goes on over the next lines

    def convert(self, body):
        lines = body.split("\n")
        out = self._level(lines, list(range(self.first_line, self.first_line + len(lines))), boxes=True)
        return "\n".join(out)

    def warn(self, line, message):
        self.reader.problems.warning(self.file, line, message)

    # -- block structure, one block-quote level at a time ----------------------

    def _level(self, lines, numbers, boxes):
        self.depth += 1
        try:
            return self._blocks(lines, numbers, boxes)
        finally:
            self.depth -= 1

    def _blocks(self, lines, numbers, boxes):
        kinds, opener = classify(lines)
        out, where = [], {}
        span, index = 0, 0
        while index < len(lines):
            kind, line = kinds[index], lines[index]
            where[index] = len(out)
            if kind in ("code", "icode", "fence"):
                braced = PANDOC_INFO.match(line) if kind == "fence" and index not in opener else None
                out.append(f"{braced.group('fence')}{braced.group('name')}" if braced else line)
                index += 1
            elif kind == "quote":
                index = self._quote(lines, kinds, numbers, index, out, boxes)
            elif kind == "blank":
                span = 0
                in_code = index + 1 < len(lines) and kinds[index + 1] == "icode"  # a blank line of code is code
                if boxes and self.owed and out and not in_code and (not out[-1].strip() or CLOSE_DIV.match(out[-1])):
                    self.owed -= 1  # give back a line added above, so that later lines keep their numbers
                    where[index] = None
                else:
                    out.append(line)
                index += 1
            else:
                attrs = ATTR_LINE.match(line)
                if attrs and not self.commenting:
                    out.append(self._attributes(attrs.group("body"), index, lines, kinds, opener, out, where))
                    span = 0
                else:
                    self.auto_ids = self.auto_ids and not line.lstrip().startswith("#")  # {:auto_ids}: up to the next heading
                    text, span = self._text(line, numbers[index], span, lines[index + 1:index + 9])
                    if self.auto_ids and index + 1 < len(lines) and DEFINITION.match(lines[index + 1]) \
                            and kinds[index + 1] == "text" and text.strip():
                        anchor = kramdown_id(text.strip())
                        text = f'<span id="{escape(anchor)}"></span>{text}' if anchor else text
                    out.append(text)
                index += 1
        return out

    def _quote(self, lines, kinds, numbers, start, out, boxes):
        """A block quote: a box when a known class follows it, else a quote whose inside is converted too."""
        end = start
        while end < len(lines) and kinds[end] == "quote":
            end += 1
        attrs = ATTR_LINE.match(lines[end]) if end < len(lines) and kinds[end] == "text" else None
        classes = re.findall(r"\.([A-Za-z][\w-]*)", attrs.group("body")) if attrs else []
        box = next((c.lower() for c in classes if c.lower() in BOXES), None) if boxes and not self.commenting else None
        prefixes, contents = dequote(lines[start:end])
        if box is None:
            inner = self._level(contents, numbers[start:end], boxes=False)
            out.extend(prefix + text for prefix, text in zip(prefixes, inner))
            if attrs:
                out.append("")  # a class we have no box for (.quotation): an ordinary quote
                return end + 1
            return end
        inner = self._level(contents, numbers[start:end], boxes=True)
        if box == "solution":
            first = next((i for i, text in enumerate(inner) if text.strip()), None)
            if first is not None and SOLUTION_HEADING.match(inner[first].strip()):
                inner[first] = ""  # the fold is already labelled "Solution"
        if out and not out[-1].strip():
            out[-1] = f"::: {box}"
        elif not out and self.depth == 1:
            out.append(f"::: {box}")
            self.lead += 1
        else:
            out.append(f"::: {box}")
            self.owed += 1
        out.extend(inner)
        out.append(":::")
        return end + 1

    def _attributes(self, body, index, lines, kinds, opener, out, where):
        """A `{: …}` line: a code block's language, a deflist's ids, or nothing we show (the line stays, empty)."""
        if body.strip() == "auto_ids":
            self.auto_ids = True
            return ""
        if body.strip() == "toc" and index > 0 and LIST_ITEM.match(lines[index - 1]) \
                and where.get(index - 1) is not None:
            out[where[index - 1]] = ""  # `* TOC` then `{:toc}`: kramdown's table of contents, our Contents box
            return ""
        classes = re.findall(r"\.([A-Za-z][\w-]*)", body)
        info = next((c[len("language-"):] if c.startswith("language-") else c for c in classes), "")
        previous = index - 1
        if previous < 0 or not info:
            return ""
        if kinds[previous] == "fence" and previous in opener:
            start = where[opener[previous]]
            opened = FENCE.match(out[start])
            if opened and not opened.group("info").strip():
                out[start] = f"{opened.group('indent')}{opened.group('fence')}{info}"
            return ""
        if kinds[previous] == "icode":
            first, back = previous, previous - 1
            while back >= 0 and kinds[back] in ("icode", "blank"):  # blank lines inside the block are its own
                first = back if kinds[back] == "icode" else first
                back -= 1
            code = [lines[i] for i in range(first, index) if lines[i].strip()]
            indent = min(len(c) - len(c.lstrip(" ")) for c in code)
            if first > 0 and where.get(first - 1) is not None and not any("\t" in c[:indent + 1] for c in code):
                keep = indent - 4  # inside a list item the fence stands at the item's own indentation
                tildes = "~" * max([3] + [len(t) + 1 for t in re.findall(r"^\s*(~{3,})", "\n".join(code), re.M)])
                out[where[first - 1]] = f"{' ' * keep}{tildes}{info}"  # the blank line before opens the fence
                for i in (i for i in range(first, index) if where.get(i) is not None):
                    out[where[i]] = lines[i][:keep] + lines[i][keep + 4:] if lines[i].strip() else lines[i]
                return f"{' ' * keep}{tildes}"
        return ""

    # -- one line of text: Liquid and inline attributes, outside code spans ----

    def _text(self, line, number, span, following=()):
        if self.commenting:
            if COMMENT_CLOSE.search(line):
                self.commenting = False
            return "", 0
        line = COMMENT.sub("", line)
        opened = COMMENT_OPEN.search(line)
        if opened:
            self.commenting = True
            line = line[:opened.start()]
        number, line = self._open_tag(line, number, span, following)
        pieces, span = self._split_code(line, span)
        heading = line.lstrip().startswith("#")
        text = "".join(piece if code else self._prose(piece, number, heading) for piece, code in pieces)
        return text, span

    def _open_tag(self, line, number, span, following):
        """A Liquid tag may run over several lines: it is read whole and replaced on its last line."""
        if self.open_tag is not None:
            closing = line.find("%}")
            if closing < 0:
                self.open_tag[0] += " " + line.strip()
                return number, ""
            (start, first), self.open_tag = self.open_tag, None
            return first, start + " " + line[:closing + 2].strip() + line[closing + 2:]
        unclosed = next((m for m in re.finditer(r"\{%(?!.*%\})", line)
                         if line[:m.start()].count("`") % 2 == 0), None)  # not in a code span
        closes = any("%}" in text for text in itertools.takewhile(str.strip, following))
        if unclosed and not span and closes:
            self.open_tag = [line[unclosed.start():].strip(), number]
            return number, line[:unclosed.start()]
        return number, line

    def _split_code(self, line, span):
        """Cut a line into (piece, is_code); `span` is the length of a code span left open by the line before."""
        pieces, position = [], 0
        if span:
            closing = re.search(rf"(?<!`)`{{{span}}}(?!`)", line)
            if not closing:
                return [(line, True)], span
            pieces.append((line[:closing.end()], True))
            position, span = closing.end(), 0
        while position < len(line):
            tick = re.compile(r"(?<![`\\])`+").search(line, position)
            if not tick:
                pieces.append((line[position:], False))
                break
            pieces.append((line[position:tick.start()], False))
            length = len(tick.group(0))
            closing = re.compile(rf"(?<!`)`{{{length}}}(?!`)").search(line, tick.end())
            if not closing:
                pieces.append((line[tick.start():], True))
                return pieces, length
            pieces.append((line[tick.start():closing.end()], True))
            position = closing.end()
        return pieces, 0

    def _prose(self, text, number, heading):
        text = LIQUID.sub(lambda match: self._liquid(match, number), text)
        if "<" in text:
            stripped = MARKDOWN_ATTR.sub("", text)
            if stripped != text and re.fullmatch(r"\s*<[A-Za-z][^<>]*>\s*", stripped):
                self.owed += 1  # `<div markdown="1">`: a blank line after it makes its inside Markdown
                return stripped + "\n"
            text = stripped
        return HEADING_ATTRS.sub(lambda m: m.group(0) if "#" in m.group(0) else "", text) if heading \
            else INLINE_ATTRS.sub("", text)

    def _liquid(self, match, number):
        if match.group("var") is not None:
            name = match.group("var").split("|")[0].strip()
            if name in ROOT_VARIABLES:
                return ""
            scope, _, key = name.partition(".")
            values = {"site": self.site, "page": self.page}.get(scope, {})
            value = values.get(key) if key else None
            if isinstance(value, str | int | float) and not isinstance(value, bool):
                return str(value)
            self.warn(number, f"Liquid variable {{{{ {name} }}}} has no value here: removed")
            return ""
        words = match.group("tag").split()
        tag = words[0].lower() if words else ""
        if tag == "link" and len(words) > 1:
            return "/" + words[1].lstrip("/")  # from the lesson's folder, as Jekyll's `link` does
        if tag == "include" and len(words) > 1 and words[1] == "links.md":
            self.wants_links = self.wants_links or number
            return ""
        if tag == "include" and len(words) > 1 and words[1].endswith(".html"):
            figure = self._figure(match.group("tag"))
            if figure:
                return figure
        if tag not in SILENT_TAGS:
            self.warn(number, f"Jekyll tag {{% {' '.join(words)[:60]} %}} is not supported: removed")
        return ""

    def _figure(self, tag):
        """`{% include figure.html file="/fig/x.png" alt="…" %}` (HPC Carpentry): the image it shows."""
        attrs = {m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
                 for m in re.finditer(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""", tag)}
        src = next((attrs[k].strip() for k in FIGURE_SOURCES if (attrs.get(k) or "").strip()), "")
        src = LIQUID.sub(lambda m: "" if (m.group("var") or "").strip() in ROOT_VARIABLES else m.group(0), src)
        if not src or "{" in src or " " in src:
            return ""
        if not re.match(r"^[a-z][a-z0-9+.-]*:|^/", src, re.I):
            src = "/" + src  # an include names files from the site's root
        alt = re.sub(r"\s+", " ", attrs.get("alt") or attrs.get("caption") or attrs.get("title") or "").strip()
        alt = alt.replace("[", "\\[").replace("]", "\\]")
        return f"![{alt}]({src})"
