"""The shell and monitoring side of search: `lms reindex` and the health check."""
import shutil

import pytest

from lms.search import storage


def test_reindex_rebuilds_the_index_from_the_database(app, runner, corpus):
    before = storage.live_directory(storage.search_folder(app))
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    assert "search index: 19 lesson texts indexed" in result.output
    assert storage.live_directory(storage.search_folder(app)) != before


def test_reindex_if_stale_does_nothing_when_the_index_is_current(app, runner, corpus):
    before = storage.live_directory(storage.search_folder(app))
    result = runner.invoke(args=["reindex", "--if-stale"])
    assert result.exit_code == 0 and "search index is current" in result.output
    assert storage.live_directory(storage.search_folder(app)) == before


def test_reindex_if_stale_rebuilds_a_deleted_index(app, runner, corpus):
    shutil.rmtree(storage.search_folder(app))
    result = runner.invoke(args=["reindex", "--if-stale"])
    assert "search index: 19 lesson texts indexed" in result.output
    assert storage.status(storage.search_folder(app), app.config["LANGUAGES"]).ok


@pytest.mark.parametrize("damage, state", [(None, "current"), ("deleted", "missing"), ("behind", "behind")])
def test_the_health_check_says_whether_the_index_is_present_and_current(app, client, corpus, damage, state):
    folder = storage.search_folder(app)
    if damage == "deleted":
        shutil.rmtree(folder)
    elif damage == "behind":  # as if lessons had been imported while search was not listening
        storage.write_stamp(storage.live_directory(folder), app.config["LANGUAGES"], "an older catalogue")
    response = client.get("/healthz")
    check = response.get_json()["search"]
    assert check["detail"].startswith(state) and check["ok"] is (state == "current")
    assert response.status_code == (200 if state == "current" else 503)


def test_the_health_check_is_happy_with_no_index_while_there_is_nothing_to_index(client, admin):
    check = client.get("/healthz").get_json()["search"]
    assert check == {"ok": True, "detail": "empty: no lessons to index"}
