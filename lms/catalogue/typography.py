"""French typographic spaces, added to rendered lesson HTML so that trainers need not type them.

French puts a space before `; : ! ?` and inside « », and groups the digits of
large numbers with a space. Typed as ordinary spaces they let a phone wrap
"101" and "000 FCFA" onto two lines, or leave a "?" alone at the start of a line.
The choices, following the Imprimerie nationale and the CLDR `fr` locale:

- U+202F (narrow no-break space) before `; : ! ?`, inside « », and between
  groups of three digits (101 000);
- U+00A0 (no-break space) between a number and its unit or currency
  (101 000 FCFA, 15 %, 10 h 30).

Only text is changed: never a tag or an attribute, nothing inside code, pre,
kbd or samp, and never a URL, an e-mail address, a spreadsheet formula, an
HTML entity or a time like 10:30. The function is idempotent.
"""
import dataclasses
import re

NNBSP = "\u202f"
NBSP = "\u00a0"
SPACES = " \u00a0\u202f\t"

_TOKENS = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_TAG_NAME = re.compile(r"<\s*(/?)\s*([A-Za-z][\w-]*)")
VERBATIM = {"code", "pre", "kbd", "samp", "script", "style", "textarea"}
BLOCKS = {"p", "div", "li", "ul", "ol", "td", "th", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd",
          "dl", "blockquote", "figcaption", "figure", "details", "summary", "br", "hr", "aside", "section"}

# Left untouched, whole: URLs, e-mail addresses, entities, formulas like =SOMME.SI(E:E;"x";D:D).
_PROTECTED = re.compile(
    r"(?:https?|ftp|mailto|tel):[^\s<>«»]+"
    r"|www\.[^\s<>«»]+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]\w*);"
    r"|=[A-ZÀ-Ý][A-ZÀ-Ý0-9._]*\((?:[^()\s]|\([^()]*\)|&quot;[^&]*&quot;|\"[^\"]*\")*\)"
)
_PLACEHOLDER = re.compile("\x00(\\d+)\x00")

_SPACE_BEFORE_MARK = re.compile(f"[{SPACES}]+([;:!?])")
# "Bonjour!" or "Attention: …": no space typed. A colon or semicolon gets one only after a letter and before a space,
# so that A2:A8, B2;C2 and 10:30 are left alone.
_MISSING_BEFORE_COLON = re.compile(r"(?<=[^\W\d_]|[»)\]])([;:])(?=\s|$)")
_MISSING_BEFORE_MARK = re.compile(r"(?<=[\w»)\]%’])([!?]+)(?=[\s»)\].,;:!?]|$)")
_OPENING_GUILLEMET = re.compile(f"«[{SPACES}]*")
_CLOSING_GUILLEMET = re.compile(f"[{SPACES}]*»")
_THOUSANDS = re.compile(f"(?<![\\d.,])\\d{{1,3}}(?:[{SPACES[:3]}]\\d{{3}})+(?![\\d])")
UNITS = ("FCFA", "F CFA", "CFA", "XOF", "GNF", "RWF", "FRW", "Frw", "KES", "KSh", "Ksh", "francs", "franc", "F", "€", "$", "%", "‰",
         "km", "kg", "cm", "mm", "m", "g", "l", "L", "Mo", "Go", "Ko", "ko", "Mb", "Mbit/s", "Mo/s", "MB", "GB",
         "KB", "kB", "px", "h", "min", "s", "W", "V", "mAh")
_UNIT = re.compile(f"(\\d)[{SPACES[:3]}]+({'|'.join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))})"
                   r"(?![\w'’])")


def french_spacing_text(text, before=""):
    """Add French spaces to plain text (no tags); `before` is the character that precedes it, if any."""
    if not text:
        return text
    kept = []

    def keep(match):
        kept.append(match.group(0))
        return f"\x00{len(kept) - 1}\x00"

    before = "" if before.isspace() else before  # a space there belongs to the previous text, not this one
    text = before + _PROTECTED.sub(keep, text)
    text = _SPACE_BEFORE_MARK.sub(NNBSP + r"\1", text)
    text = _MISSING_BEFORE_COLON.sub(NNBSP + r"\1", text)
    text = _MISSING_BEFORE_MARK.sub(NNBSP + r"\1", text)
    text = _OPENING_GUILLEMET.sub("«" + NNBSP, text)
    text = _CLOSING_GUILLEMET.sub(NNBSP + "»", text)
    text = _THOUSANDS.sub(lambda m: re.sub(f"[{SPACES[:3]}]", NNBSP, m.group(0)), text)
    text = _UNIT.sub(r"\1" + NBSP + r"\2", text)
    text = _PLACEHOLDER.sub(lambda m: kept[int(m.group(1))], text)
    return text[len(before):]


def french_spacing(html):
    """Add French spaces to the text of an HTML fragment, leaving tags, code and URLs as they are."""
    if not html:
        return html
    out, verbatim, previous = [], [], ""
    for token in _TOKENS.split(html):
        if not token:
            continue
        if token.startswith("<"):
            out.append(token)
            tag = _TAG_NAME.match(token)
            if tag:
                closing, name = tag.group(1), tag.group(2).lower()
                if name in VERBATIM and not token.endswith("/>"):
                    if closing and name in verbatim:
                        verbatim.reverse()
                        verbatim.remove(name)
                        verbatim.reverse()
                    elif not closing:
                        verbatim.append(name)
                if name in BLOCKS or name in VERBATIM:
                    previous = ""  # a mark at the start of a paragraph follows nothing
            continue
        if verbatim:
            out.append(token)
            continue
        out.append(french_spacing_text(token, previous[-1:]))
        previous = token
    return "".join(out)


def typeset_french(text):
    """Return a copy of a lesson text (a TextSpec) with French spacing in its title, HTML, check and assignment."""
    quiz = None
    if text.quiz:
        quiz = {**text.quiz, "questions": [
            {**q, "html": french_spacing(q["html"]), "answers": [
                {**a, "html": french_spacing(a["html"]), "explanation_html": french_spacing(a["explanation_html"])}
                for a in q["answers"]]}
            for q in text.quiz.get("questions", [])]}
    assignment = {**text.assignment, "html": french_spacing(text.assignment.get("html", ""))} \
        if text.assignment else text.assignment
    if assignment and assignment.get("title"):
        assignment["title"] = french_spacing_text(assignment["title"])
    return dataclasses.replace(
        text, title=french_spacing_text(text.title), html=french_spacing(text.html),
        trainer_html=french_spacing(text.trainer_html), quiz=quiz, assignment=assignment,
        toc=[[level, anchor, french_spacing_text(name)] for level, anchor, name in (text.toc or [])])
