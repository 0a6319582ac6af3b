"""The Whoosh index of lessons behind one small interface: build, update, remove, search.

One document per lesson and language. Each language has its own fields (title_fr, headings_fr,
body_fr, check_fr...) analysed for that language; a title match weighs five times a body
match. A shared "spell" field keeps the folded words of every lesson for "did you mean".
"""
import re
import shutil
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

from flask import current_app
from whoosh import fields, qparser
from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex
from whoosh.query import Require, Term

from lms.search import storage
from lms.search.analysis import language_analyzer, spelling_analyzer
from lms.search.documents import catalogue_fingerprint, iter_entries
from lms.search.hits import present
from lms.search.spelling import SPELL_FIELD, WORD, suggest

FIELD_BOOSTS = {"title": 5.0, "headings": 2.0, "body": 1.0, "check": 1.0}
RERANKED = 30
PER_PAGE = 10
MAX_RESULTS = 100  # counted exactly up to here; nobody reads page 11
WRITER_MEMORY_MB = 32  # Whoosh's default is 128: too much beside a server on a small board
_readers = threading.local()
NOT_WORDS = re.compile(r"[^\w\s\"'’-]")


@lru_cache(maxsize=4)
def make_schema(languages):
    """Return the schema for the site's languages (a tuple)."""
    schema = fields.Schema(key=fields.ID(unique=True), lesson=fields.ID(stored=True),
                           language=fields.ID(stored=True, sortable=True), path=fields.ID(),
                           **{SPELL_FIELD: fields.TEXT(analyzer=spelling_analyzer(), phrase=False)})
    for language in languages:
        analyzer = language_analyzer(language)
        for name, boost in FIELD_BOOSTS.items():
            schema.add(f"{name}_{language}", fields.TEXT(analyzer=analyzer, field_boost=boost))
    return schema


@dataclass
class Results:
    query: str  # what was searched: the correction when the words typed found nothing
    hits: list = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 0
    more: bool = False  # more than MAX_RESULTS matched
    per_page: int = PER_PAGE
    suggestion: str | None = None  # "did you mean"
    corrected: bool = False  # the results are those of the suggestion
    available: bool = True  # False while the first index is being built


class SearchIndex:
    """The lesson index in one folder, for the site's languages."""

    def __init__(self, folder, languages):
        self.folder = folder
        self.languages = tuple(languages)
        self.schema = make_schema(self.languages)

    # -- writing ---------------------------------------------------------------

    def build(self):
        """Index every active lesson text into a new directory, then make it the live one."""
        with storage.writing(self.folder):
            return self._build_locked()

    def ensure_current(self):
        """Rebuild unless the index is current; return the number of texts indexed, or None."""
        if storage.status(self.folder, self.languages).ok:
            return None
        with storage.writing(self.folder):
            # Another process may have rebuilt it while this one waited for the lock.
            if storage.status(self.folder, self.languages).ok:
                return None
            return self._build_locked()

    def update(self, lesson_ids):
        """Re-index these lessons as the catalogue now has them; retired ones are dropped."""
        self._rewrite(lesson_ids, add=True)

    def remove(self, lesson_ids):
        """Drop these lessons from the index."""
        self._rewrite(lesson_ids, add=False)

    def _rewrite(self, lesson_ids, add):
        lesson_ids = sorted(set(lesson_ids))
        if not lesson_ids:
            return
        with storage.writing(self.folder):
            directory = storage.live_directory(self.folder)
            stamp = storage.read_stamp(directory) if directory else None
            if not storage.stamp_matches_schema(stamp, self.languages) or stamp.get("catalogue") is None:
                self._build_locked()  # missing, outdated, or an earlier update failed half-way
                return
            fingerprint = catalogue_fingerprint()
            writer = _writer(self._open(directory))
            try:
                for lesson_id in lesson_ids:
                    writer.delete_by_term("lesson", str(lesson_id))
                if add:
                    for entry in iter_entries(lesson_ids):
                        self._add(writer, entry)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            storage.write_stamp(directory, self.languages, fingerprint)

    def _build_locked(self):
        storage.remove_unused(self.folder)
        directory = storage.new_directory(self.folder)
        try:
            # Read the fingerprint first: an import committed meanwhile makes the index look
            # behind (and rebuilt again), never current while missing lessons.
            fingerprint = catalogue_fingerprint()
            writer = _writer(FileIndex.create(FileStorage(str(directory)), self.schema))
            count = 0
            for entry in iter_entries():
                count += self._add(writer, entry)
            writer.commit()
            storage.write_stamp(directory, self.languages, fingerprint)
        except BaseException:
            shutil.rmtree(directory, ignore_errors=True)
            raise
        storage.make_live(self.folder, directory)
        return count

    def _add(self, writer, entry):
        if entry.language not in self.languages:
            return 0
        suffix = entry.language
        texts = {"title": entry.title, "headings": entry.headings, "body": entry.body, "check": entry.check}
        words = dict.fromkeys(WORD.findall(" ".join(texts.values())))  # each once: it only lists the vocabulary
        writer.add_document(key=f"{entry.lesson_id}:{suffix}", lesson=str(entry.lesson_id), language=suffix,
                            path=entry.path, **{SPELL_FIELD: " ".join(words)},
                            **{f"{name}_{suffix}": text for name, text in texts.items()})
        return 1

    def _open(self, directory):
        return FileIndex(FileStorage(str(directory)), schema=self.schema)

    # -- reading ---------------------------------------------------------------

    def search(self, text, preferred=None, language=None, path=None, page=1, per_page=PER_PAGE):
        """Find lessons: the preferred language first, then by relevance; a page of hits with snippets."""
        directory = storage.live_directory(self.folder)
        if directory is None or not storage.stamp_matches_schema(storage.read_stamp(directory), self.languages):
            return Results(text, available=catalogue_fingerprint().startswith("0|"))
        searcher = self._searcher(directory)
        order = (language,) if language in self.languages else sorted(self.languages, key=lambda l: l != preferred)
        fields_by_language = {lang: [f"{name}_{lang}" for name in FIELD_BOOSTS] for lang in self.languages}
        results = Results(text, per_page=per_page, suggestion=suggest(searcher, text, fields_by_language))
        found = self._run(searcher, text, order, path, page, results)
        if not results.total and results.suggestion:
            results.query, results.corrected = results.suggestion, True
            found = self._run(searcher, results.suggestion, order, path, page, results)
        results.hits = present(found)
        return results

    def _searcher(self, directory):
        """Return this thread's searcher, reopened when the index changed: opening one costs more than a search."""
        cached = getattr(_readers, "searcher", None)
        if cached is not None and cached[0] == directory:
            searcher = cached[1].refresh()
        else:
            if cached is not None:
                cached[1].close()
            searcher = self._open(directory).searcher()
        _readers.searcher = (directory, searcher)
        return searcher

    def _run(self, searcher, text, order, path, page, results):
        """Count the matches in each language (up to MAX_RESULTS), then fetch the hits of the page."""
        queries, counts = [], []
        in_path = Term("path", path) if path else None
        for language in order:
            query = self._parse(text, language)
            queries.append(query)
            room = MAX_RESULTS - sum(counts)
            matching = searcher.docs_for_query(Require(query, in_path) if path else query)
            counts.append(sum(1 for _ in islice(matching, room + 1)) if room > 0 else 0)
        results.more = sum(counts) > MAX_RESULTS
        results.total = min(sum(counts), MAX_RESULTS)
        results.pages = -(-results.total // results.per_page)
        results.page = max(1, min(page, results.pages))
        start, stop = (results.page - 1) * results.per_page, min(results.page * results.per_page, results.total)
        found, before = [], 0
        for query, count in zip(queries, counts):
            if start < before + count and before < stop:
                found += _ranked(searcher, query, in_path, stop - before)[max(0, start - before):stop - before]
            before += count
        return found

    def _parse(self, text, language):
        """Match any of the words in this language's fields."""
        fieldnames = [f"{name}_{language}" for name in FIELD_BOOSTS]
        # Only words and "phrases": no field names, wildcards or operators typed by accident.
        parser = qparser.MultifieldParser(fieldnames, self.schema, group=qparser.OrGroup, plugins=[qparser.PhrasePlugin()])
        return parser.parse(NOT_WORDS.sub(" ", text))


def _ranked(searcher, query, in_path, limit):
    """Return the best hits, those that match more of the words first among the top RERANKED.

    Asking Whoosh for "all the words, else some" (an And inside an Or) doubles the cost of every
    search; sorting the first hits by the number of words they match gives the same order where
    it is read.
    """
    hits = searcher.search(query, limit=max(limit, RERANKED), filter=in_path)[:]  # list() would count all
    head = hits[:RERANKED]
    matched = _words_matched(searcher.reader(), query, sorted(hit.docnum for hit in head))
    head.sort(key=lambda hit: -matched[hit.docnum])
    return head + hits[RERANKED:]


def _words_matched(reader, query, docnums):
    """Return {docnum: how many of the query's words it holds, in any field}."""
    fields_by_word = {}
    for fieldname, word in query.iter_all_terms():
        fields_by_word.setdefault(word, []).append(fieldname)
    matched = dict.fromkeys(docnums, 0)
    for word, fieldnames in fields_by_word.items():
        holders = set()
        for fieldname in fieldnames:
            if (fieldname, word) not in reader:
                continue
            postings = reader.postings(fieldname, word)
            for docnum in docnums:
                if postings.is_active() and postings.id() < docnum:
                    postings.skip_to(docnum)
                if postings.is_active() and postings.id() == docnum:
                    holders.add(docnum)
        for docnum in holders:
            matched[docnum] += 1
    return matched


def _writer(index):
    # Separate files per segment, not one compound file: Whoosh copies a compound segment
    # into memory for every reader that opens it.
    return index.writer(limitmb=WRITER_MEMORY_MB, compound=False)


def for_app(app=None):
    """Return the search index of this application."""
    app = app or current_app
    return SearchIndex(storage.search_folder(app), app.config["LANGUAGES"])
