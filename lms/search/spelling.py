"""Did you mean: replace the words no lesson holds by the closest words the lessons use."""
import re

from lms.search.analysis import fold

WORD = re.compile(r"[^\W\d_]+")
SPELL_FIELD = "spell"


def suggest(searcher, text, fields_by_language):
    """Return the text with unknown words replaced by the closest indexed ones, or None.

    fields_by_language maps each language to its stemmed field names: a word is known when
    one of them holds its stem ("Référencements" is known if a lesson says "référencement").
    """
    changed = False

    def replace(match):
        nonlocal changed
        word = match.group(0)
        if _known(searcher, word, fields_by_language):
            return word
        closest = _closest(searcher, fold(word))
        if closest is None:
            return word
        changed = True
        return closest

    suggestion = WORD.sub(replace, text)
    return suggestion if changed else None


def _known(searcher, word, fields_by_language):
    folded = fold(word)
    if len(folded) < 3 or searcher.doc_frequency(SPELL_FIELD, folded):
        return True
    for fieldnames in fields_by_language.values():
        stems = [token.text for token in searcher.schema[fieldnames[0]].analyzer(word)]
        if not stems:  # a stop word: nothing to correct
            return True
        if any(searcher.doc_frequency(fieldname, stem) for stem in stems for fieldname in fieldnames):
            return True
    return False


def _closest(searcher, word):
    """Return the most frequent indexed word one edit away (two for long words), or None."""
    for distance in (1, 2) if len(word) >= 5 else (1,):
        candidates = set()
        for reader, _base in searcher.reader().leaf_readers():
            candidates.update(reader.terms_within(SPELL_FIELD, word, distance, prefix=1))
        candidates.discard(word)
        if candidates:
            return min(candidates, key=lambda c: (-searcher.doc_frequency(SPELL_FIELD, c), c))
    return None
