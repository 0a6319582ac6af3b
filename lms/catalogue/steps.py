"""Cut a rendered lesson into short steps, one or two phone screens each, at its `##` headings.

A lesson of 1,500 words is twelve screens of scrolling on a small phone; in steps she sees
where she is ("Step 2 of 5") and can stop and come back. The cut is made on the rendered,
sanitised HTML, at request time, so that authors need nothing but headings and the
stored lessons need no migration. Only top-level `<h2>` headings cut: a heading inside a
box (a tip, an exercise's solution) stays with its box.
"""
import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

from lms.core.markdown import count_words, plain_text

# A step is one screen or two on a phone: 150 to 350 words.
SHORTEST, LONGEST = 150, 350
CACHED_UP_TO = 100_000  # characters of HTML: 128 such lessons at most ~25 MB, usually ~3 MB
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
ID = re.compile(r'\bid="([^"]+)"')
IN_PAGE_LINK = re.compile(r'href="#([^"]+)"')
OTHER_LESSON_ANCHOR = re.compile(r'href="/lessons/([\w-]+)#([^"]+)"')  # as the importer writes them


@dataclass(frozen=True)
class Step:
    number: int
    title: str  # its first heading's text; "" when it opens with the lesson's introduction
    html: str
    words: int


class _TopHeadings(HTMLParser):
    """Find where each top-level <h2> starts, as (line, column) positions."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth, self.starts = 0, []

    def handle_starttag(self, tag, attrs):
        if tag == "h2" and self.depth == 0:
            self.starts.append(self.getpos())
        if tag not in VOID:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag not in VOID:
            self.depth = max(0, self.depth - 1)


def _offsets(html):
    parser = _TopHeadings()
    parser.feed(html)
    parser.close()
    line_starts = [0] + [m.end() for m in re.finditer("\n", html)]
    return [line_starts[line - 1] + column for line, column in parser.starts]


def split_steps(html):
    """Return the lesson's steps, in order; a lesson without a top-level `<h2>` is one step."""
    # Kept per process for lessons of ordinary size (a few ms each to cut); a huge foreign
    # lesson is cut again at each request rather than held in memory.
    return _cached_split(html) if len(html) <= CACHED_UP_TO else _split(html)


@lru_cache(maxsize=128)
def _cached_split(html):
    return _split(html)


def _split(html):
    """Cut at the top-level `<h2>` headings, then pack the parts into steps.

    Each `##` section starts a step, except that a step shorter than SHORTEST words takes
    the next section in, or else joins the step before, as long as that stays within LONGEST:
    authors write sections of their natural size, learners get screens of a useful size.
    """
    cuts = _offsets(html)
    pieces = [html[start:end] for start, end in zip([0] + cuts, cuts + [len(html)])]
    sections = [("", pieces[0])] if pieces[0].strip() else []
    sections += [(_heading(piece), piece) for piece in pieces[1:]]
    packed = []  # [title, html, words]
    for title, piece in sections or [("", html)]:
        words = _words(piece)
        if packed and packed[-1][2] < SHORTEST and packed[-1][2] + words <= LONGEST:
            packed[-1][1] += piece
            packed[-1][2] += words
        else:
            packed.append([title, piece, words])
    for index in range(len(packed) - 1, 0, -1):  # still short: into the step before, when it has room
        if packed[index][2] < SHORTEST and packed[index - 1][2] + packed[index][2] <= LONGEST:
            _title, piece, words = packed.pop(index)
            packed[index - 1][1] += piece
            packed[index - 1][2] += words
    return tuple(Step(number, *step) for number, step in enumerate(packed, start=1))


def step_of(steps, anchor):
    """Return the number of the step holding the element with this id, or None."""
    for step in steps:
        if anchor in ID.findall(step.html):
            return step.number
    return None


def link_across_steps(step, steps, url_of_step):
    """Point the step's in-page links (#anchor) at the step that holds their target."""
    def relink(match):
        target = step_of(steps, match.group(1))
        if target is None or target == step.number:
            return match.group(0)
        return f'href="{url_of_step(target)}#{match.group(1)}"'
    return IN_PAGE_LINK.sub(relink, step.html)


def link_other_lessons(html, steps_of, url_of, whole):
    """Point links to an anchor in another lesson (or this one, by its address) at the page that holds it.

    steps_of(slug) -> that lesson's steps, or None when it is unknown; url_of(slug, step, anchor) -> address.
    Read whole, she goes to the other lesson whole; read in steps, to the step that holds the anchor.
    """
    def relink(match):
        slug, anchor = match.groups()
        others = steps_of(slug)
        if not others or len(others) == 1:
            return match.group(0)
        if whole:
            return f'href="{url_of(slug, "all", anchor)}"'
        number = step_of(others, anchor)
        return f'href="{url_of(slug, number, anchor)}"' if number and number > 1 else match.group(0)
    return OTHER_LESSON_ANCHOR.sub(relink, html)


def _words(html):
    return count_words(plain_text(html))


def _heading(section):
    end = section.find("</h2>")
    return plain_text(section[:end]) if end >= 0 else ""


@dataclass(frozen=True)
class Reading:
    """Where she is in a lesson: one of its steps, or the whole lesson on one page (step None)."""

    step: int | None
    count: int

    @property
    def in_steps(self):
        """True when the page shows one step of several (and so a counter and Next/Previous)."""
        return self.step is not None and self.count > 1

    @property
    def starts(self):
        """True where the lesson begins: its objectives, and where opening it is counted."""
        return self.step in (None, 1)

    @property
    def at_end(self):
        """True where the lesson ends: its check, practical work and other forms are shown here."""
        return self.step is None or self.step == self.count

    @property
    def reached_last_step(self):
        """True on the last of several steps: she has gone through the lesson to its end."""
        return self.in_steps and self.step == self.count


class StepNotFound(ValueError):
    """The step asked for is not a number, "all" or "last"."""


def reading_for(asked, count):
    """Return the Reading an address's `step` asks for; a number out of range is brought within it."""
    if asked in (None, ""):
        return Reading(1, count)
    if asked == "all":
        return Reading(None, count)
    if asked == "last":
        return Reading(count, count)
    if not re.fullmatch(r"-?\d{1,6}", asked):
        raise StepNotFound(asked)
    return Reading(min(max(int(asked), 1), count), count)  # 0, -1 or 99: the nearest step
