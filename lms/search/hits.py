"""What the results page shows of each hit: its title and a snippet, the searched words marked."""
from dataclasses import dataclass

from markupsafe import Markup, escape
from whoosh import highlight

from lms.search.analysis import fold
from lms.search.documents import load_entries

SNIPPET_CHARS = 180


@dataclass
class Hit:
    lesson_id: int
    language: str
    slug: str
    path: str
    path_title: dict
    module_title: dict
    title: Markup
    snippet: Markup


class MarkFormatter(highlight.HtmlFormatter):
    """Wrap matched words in a bare <mark>, escaping the rest."""

    template = "<mark>%(t)s</mark>"


def present(found):
    """Turn Whoosh hits into Hits, reading their text from the catalogue; retired lessons are skipped."""
    entries = load_entries((int(hit["lesson"]), hit["language"]) for hit in found)
    formatter = MarkFormatter(between=" … ")
    whole = highlight.Highlighter(fragmenter=highlight.WholeFragmenter(), formatter=formatter)
    parts = highlight.Highlighter(fragmenter=highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60),
                                  formatter=formatter)
    hits = []
    for hit in found:
        entry = entries.get((int(hit["lesson"]), hit["language"]))
        if entry is None:  # retired since it was indexed
            continue
        language = entry.language
        needles = {fold(term if isinstance(term, str) else term.decode())
                   for _field, term in hit.results.q.iter_all_terms()}
        needles = {needle for needle in needles if len(needle) > 2}
        title = whole.highlight_hit(hit, f"title_{language}", text=entry.title) or escape(entry.title)
        snippet = (parts.highlight_hit(hit, f"body_{language}", text=passages(entry.body, needles), top=1)
                   or parts.highlight_hit(hit, f"check_{language}", text=passages(entry.check, needles), top=1)
                   or escape(opening(entry.body)))
        hits.append(Hit(entry.lesson_id, language, entry.slug, entry.path, entry.path_title,
                        entry.module_title, Markup(title), Markup(snippet)))
    return hits


def passages(text, needles, size=300, most=3):
    """Return the parts of a long text holding a query stem (or the whole text if none does).

    Running a whole lesson through the stemmer to highlight it costs more than the search;
    a plain substring test on folded text finds the few passages worth highlighting.
    """
    if len(text) <= 2 * size:
        return text
    chosen, start = [], 0
    while start < len(text) and len(chosen) < most:
        end = text.find(" ", start + size)
        end = len(text) if end < 0 else end
        folded = fold(text[start:end])
        if any(needle in folded for needle in needles):
            chosen.append(text[start:end].strip())
        start = end + 1
    return " … ".join(chosen) or text


def opening(text):
    """Return the start of a text, cut at a word, for a hit with nothing to highlight."""
    if len(text) <= SNIPPET_CHARS:
        return text
    return text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
