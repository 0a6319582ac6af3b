"""Text analysis for search: lower case, accents folded, stop words dropped, plurals and stems merged.

Lesson text and queries go through the same chain, so "référencement", "referencement" and
"Référencements" all become "referenc", and "reseaux sociaux" meets "réseau social".
"""
from functools import lru_cache

from whoosh.analysis import CharsetFilter, Filter, LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.lang import has_stemmer, has_stopwords, stemmer_for_language, stopwords_for_language
from whoosh.support.charset import accent_map

_fold_filter = CharsetFilter(accent_map)

# Words Snowball's French list misses ("les"!), and question words: searches are often typed as
# questions (the English list already drops "how", "what"...).
EXTRA_STOP_WORDS = {"fr": {"les", "cette", "cet", "cela", "ca", "leurs", "si", "donc", "car", "ni", "tres", "aussi",
                           "tout", "tous", "toute", "toutes", "comment", "pourquoi", "quand", "quoi", "quel",
                           "quelle", "quels", "quelles", "combien"}}


def fold(text):
    """Return the text in lower case without accents, as the index stores words."""
    return text.lower().translate(accent_map)


class FrenchPluralFilter(Filter):
    """Drop the final "s" that the French stemmer keeps after a vowel (photos, mots, cafés)."""

    def __call__(self, tokens):
        for token in tokens:
            text = token.text
            if len(text) > 3 and text.endswith("s") and not text.endswith("ss"):
                token.text = text[:-1]
            yield token


@lru_cache(maxsize=None)
def _stemmer(language):
    return lru_cache(maxsize=50_000)(stemmer_for_language(language))


class SnowballFilter(Filter):
    """Stem with Snowball through a C-level cache: Whoosh's own cache costs more than the stemming it saves."""

    def __init__(self, language):
        self.language = language

    def __call__(self, tokens):
        stem = _stemmer(self.language)
        for token in tokens:
            if not token.stopped:
                token.text = stem(token.text)
            yield token


def language_analyzer(language):
    """Return the analyser for lesson text and queries in this language."""
    chain = RegexTokenizer() | LowercaseFilter() | _fold_filter
    stops = {fold(word) for word in stopwords_for_language(language)} if has_stopwords(language) else set()
    stops |= EXTRA_STOP_WORDS.get(language, set())
    chain = chain | StopFilter(stoplist=stops, minsize=2)
    if language == "fr":
        chain = chain | FrenchPluralFilter()
    if has_stemmer(language):
        chain = chain | SnowballFilter(language)
    return chain


def spelling_analyzer():
    """Return the analyser of the vocabulary used for "did you mean": whole words, folded."""
    return RegexTokenizer(r"[^\W\d_]+") | LowercaseFilter() | _fold_filter | StopFilter(stoplist=(), minsize=3,
                                                                                         maxsize=30)
