"""Turn the Markdown body of a lesson into HTML, a knowledge check and an assignment.

Understands `::: name` fenced divs (ours and the Carpentries'), `::: quiz` and
`::: assignment` blocks, images with `{alt='…'}` attributes, and relative links
to other lessons. Problems are reported with the file and line.
"""
import re
from dataclasses import dataclass, field
from html import escape

from lms.core.markdown import count_words, plain_text, render, render_inline

BLOCK_LABELS = {
    "tip": ("Astuce", "Tip"),
    "warning": ("Attention", "Warning"),
    "example": ("Exemple", "Example"),
    "glossary": ("Glossaire", "Glossary"),
    "objectives": ("Objectifs", "Objectives"),
    "questions": ("Questions", "Questions"),
    "callout": ("À noter", "Note"),
    "challenge": ("Exercice", "Challenge"),
    "solution": ("Solution", "Solution"),
    "hint": ("Indice", "Hint"),
    "keypoints": ("Points clés", "Key points"),
    "discussion": ("Discussion", "Discussion"),
    "prereq": ("Prérequis", "Prerequisites"),
    "caution": ("Attention", "Caution"),
    "checklist": ("Liste de contrôle", "Checklist"),
    "testimonial": ("Témoignage", "Testimonial"),
    "instructor": ("Note pour la formatrice", "Instructor note"),
    "spoiler": ("Détails", "Details"),
}
FOLDED = {"solution", "hint", "spoiler", "instructor"}
NATIVE_BLOCKS = {"tip", "warning", "example", "glossary", "quiz", "assignment"}
SUBMISSION_KINDS = ("text", "link", "photo")

OPEN_DIV = re.compile(r"^(:{3,})\s*\{?\s*\.?([A-Za-z][\w-]*)\s*\}?\s*$")
CLOSE_DIV = re.compile(r"^:{3,}\s*$")
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<src>[^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)(?P<attrs>\{[^}]*\})?")
ATTRS_LINE = re.compile(r"^\s*\{(?P<attrs>[^}]*\balt\s*=[^}]*)\}\s*$")
ALT_ATTR = re.compile(r"""\balt\s*=\s*(?:'(?P<a>[^']*)'|"(?P<b>[^"]*)")""")
HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.I)
HTML_ATTR = re.compile(r"""\b(src|alt)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\(\s*<?(?P<target>[^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
QUESTION = re.compile(r"^\?\s+(.+)$")
ANSWER = re.compile(r"^[-*]\s+\[(?P<mark>[ xX])\]\s+(?P<text>.+)$")
EXPLANATION = re.compile(r"^\s+>\s?(?P<text>.*)$")


def contents(toc):
    """The entries the Contents box lists (as level 2): the lesson's highest headings, `###` when it has no `##`."""
    if toc and not any(level == 2 for level, *_ in toc):
        top = min(level for level, *_ in toc)
        return [[2, anchor, name] for level, anchor, name in toc if level == top]
    return toc


def headings_outside_blocks(html):
    """Return the ids of the h2/h3 headings that are not inside a block (tip, exercise…)."""
    inside, outside = [], set()
    for match in re.finditer(r'<(/?)(div|details)\b([^>]*)>|<h[23] id="([^"]+)"', html):
        if match.group(4):
            if not any(inside):
                outside.add(match.group(4))
        elif match.group(1):
            if inside:
                inside.pop()
        else:
            inside.append('class="block' in match.group(3))
    return outside


@dataclass
class Rendered:
    html: str = ""
    toc: list = field(default_factory=list)
    plain_text: str = ""
    words: int = 0
    quiz: dict | None = None
    assignment: dict | None = None


class LessonMarkup:
    """Render one lesson body; `problems` collects errors and warnings.

    resolve_image(src, line) -> dict(full, small, width, height), None when missing, False when refused;
    resolve_link(target, line) -> URL, None when it names nothing known, False when refused.
    """

    def __init__(self, file, language, problems, resolve_image, resolve_link, strict=True):
        self.file, self.language, self.problems = file, language, problems
        self.resolve_image, self.resolve_link, self.strict = resolve_image, resolve_link, strict
        self.images = {}

    def complain(self, line, message):
        (self.problems.error if self.strict else self.problems.warning)(self.file, line, message)

    def render(self, body, first_line=1):
        lines = body.split("\n")
        numbered = list(enumerate(lines, start=first_line))
        out, quiz_blocks, assignment_blocks = self._blocks(numbered)
        text = "\n".join(out)
        html, toc = render(text)
        html = self._finish_images(html)
        outside = headings_outside_blocks(html)  # an exercise's "Solution" is not a part of the lesson
        result = Rendered(html=html, toc=contents([entry for entry in toc if entry[1] in outside]))
        result.quiz = self._quiz(quiz_blocks) if quiz_blocks else None
        result.assignment = self._assignment(assignment_blocks) if assignment_blocks else None
        result.plain_text = plain_text(html)
        result.words = count_words(result.plain_text)
        return result

    # -- fenced divs -------------------------------------------------------

    def _blocks(self, numbered):
        out, stack, quiz, assignment = [], [], [], []
        capture = None  # (kind, opening line, captured lines)
        fence = None
        for number, line in numbered:
            if fence:
                if line.strip().startswith(fence):
                    fence = None
                (capture[2] if capture else out).append((number, line) if capture else line)
                continue
            match = FENCE.match(line)
            if match and not capture:
                fence = match.group(1)[:3]
                out.append(line)
                continue
            if capture:
                if CLOSE_DIV.match(line):
                    (quiz if capture[0] == "quiz" else assignment).append((capture[1], capture[2]))
                    capture = None
                else:
                    capture[2].append((number, line))
                continue
            opened = OPEN_DIV.match(line)
            if opened:
                name = opened.group(2).lower()
                if name in ("quiz", "assignment"):
                    capture = (name, number, [])
                    continue
                if self.strict and name not in NATIVE_BLOCKS:
                    self.problems.error(self.file, number, f"unknown block '::: {name}' "
                                        f"(use one of: {', '.join(sorted(NATIVE_BLOCKS))})")
                stack.append((name, number))
                out.extend(self._open_block(name))
                continue
            if CLOSE_DIV.match(line):
                if stack:
                    name, _ = stack.pop()
                    out.extend(["", "</details>" if name in FOLDED else "</div>", ""])
                else:
                    self.complain(number, "':::' closes a block that was never opened")
                continue
            out.append(self._line(number, line, numbered))
        if capture:
            self.problems.error(self.file, capture[1], f"'::: {capture[0]}' is never closed with ':::'")
        for name, number in stack:
            self.complain(number, f"'::: {name}' is never closed with ':::'")
            out.extend(["", "</details>" if name in FOLDED else "</div>", ""])
        return out, quiz, assignment

    def _open_block(self, name):
        fr, en = BLOCK_LABELS.get(name, (name.capitalize(), name.capitalize()))
        label = escape(fr if self.language == "fr" else en)
        css = re.sub(r"[^a-z0-9-]", "", name)
        if name in FOLDED:
            return ["", f'<details class="block block-{css}" markdown="1">', f"<summary>{label}</summary>", ""]
        return ["", f'<div class="block block-{css}" markdown="1">', f'<p class="block-title">{label}</p>', ""]

    # -- images and links ---------------------------------------------------

    def _line(self, number, line, numbered):
        if ATTRS_LINE.match(line):
            return ""  # already merged into the image on the line above
        following = number - numbered[0][0] + 1  # lines are numbered in a row: no search (it made imports quadratic)
        follower = numbered[following][1] if following < len(numbered) else ""
        attrs_below = ATTRS_LINE.match(follower)

        def image(match):
            alt, src, attrs = match.group("alt"), match.group("src"), match.group("attrs") or ""
            if attrs_below and not attrs:
                attrs = "{" + attrs_below.group("attrs") + "}"
            alt_attr = ALT_ATTR.search(attrs) or ALT_ATTR.search(alt)
            if alt_attr:
                alt = alt_attr.group("a") if alt_attr.group("a") is not None else alt_attr.group("b")
            alt = alt.replace("\\_", "_").strip()
            if re.match(r"^[a-z]+:", src):
                return f"[{alt or src}]({src})"  # a remote image cannot be shown offline: link to it
            found = self.resolve_image(src, number)
            if not found:
                if found is None:  # False: the resolver already said what is wrong with it
                    self.complain(number, f"image not found: {src}")
                return f"*[{alt or src}]*"
            self.images[found["small"]] = found
            return f"![{alt}]({found['small']})"

        def link(match):
            text, target = match.group("text"), match.group("target")
            if re.match(r"^([a-z][a-z0-9+.-]*:|#|/)", target, re.I):
                return match.group(0)
            url = self.resolve_link(target, number)
            if not url:
                if url is None:  # False: the resolver already said what is wrong with it
                    self.complain(number, f"link to unknown lesson or file: {target}")
                return text
            return f"[{text}]({url})"

        def html_image(match):
            attrs = {m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
                     for m in HTML_ATTR.finditer(match.group(0))}
            if not attrs.get("src"):
                return ""
            return image(IMAGE.match(f"![{attrs.get('alt', '')}]({attrs['src']})"))

        return LINK.sub(link, HTML_IMAGE.sub(html_image, IMAGE.sub(image, line)))

    def _finish_images(self, html):
        def tag(match):
            attrs = match.group(1)
            src = re.search(r'src="([^"]+)"', attrs)
            found = self.images.get(src.group(1)) if src else None
            if not found:
                return match.group(0)
            return (f'<a class="image" href="{found["full"]}"><img{attrs} width="{found["width"]}" '
                    f'height="{found["height"]}" loading="lazy" decoding="async"></a>')
        return re.sub(r"<img([^>]*?)\s*/?>", tag, html)

    # -- knowledge checks ---------------------------------------------------

    def _quiz(self, blocks):
        questions = []
        for opened_at, lines in blocks:
            current = None
            for number, raw in lines:
                if not raw.strip():
                    continue
                q, a, e = QUESTION.match(raw), ANSWER.match(raw.strip()), EXPLANATION.match(raw)
                if q:
                    current = {"text": q.group(1).strip(), "line": number, "answers": []}
                    questions.append(current)
                elif a and not raw.startswith((" ", "\t")):
                    if current is None:
                        self.problems.error(self.file, number, "answer before any question (start a question with '? ')")
                        continue
                    current["answers"].append({"text": a.group("text").strip(), "correct": a.group("mark") != " ",
                                               "explanation": None, "line": number})
                elif e and current and current["answers"]:
                    answer = current["answers"][-1]
                    answer["explanation"] = ((answer["explanation"] + " ") if answer["explanation"] else "") + e.group("text").strip()
                else:
                    self.problems.error(self.file, number, "unexpected line in a quiz: start questions with '? ', "
                                        "answers with '- [ ]' or '- [x]', explanations with '  > '")
            if not any(q["line"] > opened_at for q in questions):
                self.problems.error(self.file, opened_at, "this quiz has no question")
        for q in questions:
            if len(q["answers"]) < 2:
                self.problems.error(self.file, q["line"], "a question needs at least two answers")
            if not any(a["correct"] for a in q["answers"]):
                self.problems.error(self.file, q["line"], "no right answer marked with '- [x]'")
            for a in q["answers"]:
                if not a["explanation"]:
                    self.problems.error(self.file, a["line"], "this answer has no explanation (add a line '  > why')")
        return {"questions": [{
            "id": f"q{i}",
            "html": render_inline(q["text"]),
            "multiple": sum(a["correct"] for a in q["answers"]) > 1,
            "answers": [{"id": f"a{j}", "html": render_inline(a["text"]), "correct": a["correct"],
                         "explanation_html": render_inline(a["explanation"] or "")}
                        for j, a in enumerate(q["answers"], start=1)],
        } for i, q in enumerate(questions, start=1)]}

    def _assignment(self, blocks):
        if len(blocks) > 1:
            self.problems.error(self.file, blocks[1][0], "a lesson has at most one assignment")
        opened_at, lines = blocks[0]
        kinds, title, body = None, None, []
        for number, raw in lines:
            header = re.match(r"^(submit|title)\s*:\s*(.*)$", raw.strip(), re.I)
            if header and not body:
                if header.group(1).lower() == "title":
                    title = header.group(2).strip()
                    continue
                kinds = [k.strip().lower() for k in header.group(2).split(",") if k.strip()]
                unknown = [k for k in kinds if k not in SUBMISSION_KINDS]
                if unknown or not kinds:
                    self.problems.error(self.file, number, f"'submit:' takes text, link and/or photo, not "
                                        f"{', '.join(unknown) or 'nothing'}")
                continue
            body.append(raw)
        if kinds is None:
            self.problems.error(self.file, opened_at, "an assignment needs a 'submit:' line (text, link, photo)")
        instructions = "\n".join(body).strip()
        if not instructions:
            self.problems.error(self.file, opened_at, "an assignment needs instructions")
        html, _toc = render(instructions)
        return {"title": title, "submit": kinds or [], "html": html}
