"""Keeping the index current: after imports, at start, with several processes, in the health check."""
import json
import threading

from lms.catalogue.models import Lesson
from lms.core.signals import server_starting
from lms.extensions import db
from lms.search import storage
from lms.search.index import SearchIndex, for_app
from tests.search_corpus import KEYWORDS_FR


def lesson_id(slug):
    return db.session.execute(db.select(Lesson.id).filter_by(slug=slug)).scalar_one()


def slugs(index, text):
    return {hit.slug for hit in index.search(text).hits}


def reimport(runner, root):
    result = runner.invoke(args=["import-courses", str(root)])
    assert result.exit_code == 0, result.output


def test_an_import_indexes_only_the_lessons_it_changed(app, runner, corpus, monkeypatch):
    updated = []
    original = SearchIndex.update
    monkeypatch.setattr(SearchIndex, "update", lambda self, ids: (updated.append(sorted(ids)), original(self, ids)))
    live = storage.live_directory(storage.search_folder(app))
    (corpus / "01-found-online" / "02-keywords.fr.md").write_text(
        KEYWORDS_FR.replace("Un prix < 1000 FCFA attire l'œil.", "Une vitrine bien rangée attire l'œil."))

    reimport(runner, corpus)

    assert updated == [[lesson_id("keywords")]]
    index = for_app(app)
    assert "keywords" in slugs(index, "vitrine") and "keywords" not in slugs(index, "FCFA")
    assert storage.live_directory(storage.search_folder(app)) == live  # updated in place, not rebuilt
    assert storage.status(storage.search_folder(app), app.config["LANGUAGES"]).state == "current"


def test_a_retired_lesson_disappears_from_the_results(app, runner, corpus):
    (corpus / "02-bookkeeping" / "01-cash.fr.md").unlink()
    reimport(runner, corpus)
    assert "cash-book" not in slugs(for_app(app), "cahier caisse")


def test_a_failed_update_leaves_the_index_marked_for_a_full_rebuild(app, runner, corpus, monkeypatch):
    monkeypatch.setattr(SearchIndex, "_add", lambda *args: 1 / 0)
    (corpus / "02-bookkeeping" / "01-cash.fr.md").write_text(
        (corpus / "02-bookkeeping" / "01-cash.fr.md").read_text().replace("cahier", "carnet"))
    reimport(runner, corpus)  # the import stands even though search could not follow
    folder = storage.search_folder(app)
    assert storage.status(folder, app.config["LANGUAGES"]).state == "behind"
    monkeypatch.undo()

    for_app(app).update([lesson_id("keywords")])  # any later update rebuilds the whole index

    assert "cash-book" in slugs(for_app(app), "carnet")
    assert storage.status(folder, app.config["LANGUAGES"]).ok


def test_a_full_build_switches_directories_and_an_open_reader_keeps_reading(app, corpus):
    folder, index = storage.search_folder(app), for_app(app)
    first = storage.live_directory(folder)
    with index._open(first).searcher() as before:
        assert index.build() == 2 + 2 + 1 + 1 + 1 + 12
        second = storage.live_directory(folder)
        assert second != first and first.is_dir()
        assert before.doc_count() == 19
    index.build()
    assert not first.exists() and second.exists()  # kept one build longer, for readers like `before`


def test_writers_in_several_processes_take_turns(app, corpus):
    errors = []

    def rebuild():
        with app.app_context():
            try:
                for_app(app).build()
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)

    threads = [threading.Thread(target=rebuild) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert slugs(for_app(app), "astuce")


def test_an_index_from_an_older_version_is_rebuilt_at_start(app, corpus):
    folder = storage.search_folder(app)
    stamp_file = storage.live_directory(folder) / storage.STAMP
    stamp_file.write_text(json.dumps({**json.loads(stamp_file.read_text()), "schema": 0}))
    assert storage.status(folder, app.config["LANGUAGES"]).state == "outdated"
    assert for_app(app).search("astuce").available is False

    server_starting.send(app)
    rebuild = next(t for t in threading.enumerate() if t.name == "search-rebuild")
    rebuild.join(30)

    assert storage.status(folder, app.config["LANGUAGES"]).state == "current"
    assert slugs(for_app(app), "astuce")


def test_a_current_index_is_left_alone_at_start(app, corpus):
    live = storage.live_directory(storage.search_folder(app))
    assert for_app(app).ensure_current() is None
    server_starting.send(app)
    assert not [t for t in threading.enumerate() if t.name == "search-rebuild"]
    assert storage.live_directory(storage.search_folder(app)) == live


def test_a_missing_index_is_rebuilt_and_meanwhile_search_says_so(app, corpus):
    folder = storage.search_folder(app)
    (folder / storage.POINTER).unlink()
    assert storage.status(folder, app.config["LANGUAGES"]).state == "missing"
    assert for_app(app).search("astuce").available is False
    assert for_app(app).ensure_current() == 19
    assert for_app(app).search("astuce").total == 12


def test_an_empty_catalogue_needs_no_index(app):
    folder = storage.search_folder(app)
    assert storage.status(folder, app.config["LANGUAGES"]).state == "empty"
    results = for_app(app).search("astuce")
    assert results.available and results.total == 0


def test_removed_lessons_leave_the_results(app, corpus):
    for_app(app).remove([lesson_id("cash-book")])
    assert "cash-book" not in slugs(for_app(app), "cahier caisse")
    assert "seo-basics" in slugs(for_app(app), "référencement")
