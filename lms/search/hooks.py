"""Keep the index current: after each import, at server start; and report its state."""
import threading
from contextlib import suppress

from flask import current_app

from lms.catalogue.signals import courses_imported
from lms.core.signals import server_starting
from lms.extensions import db
from lms.search import storage


def connect():
    courses_imported.connect(reindex_imported)
    server_starting.connect(rebuild_if_stale)


def reindex_imported(app, changed=(), retired=(), **_extra):
    """Re-index the lessons an import changed or retired (the import is already committed)."""
    from lms.search.index import for_app  # Whoosh is loaded only by the processes that use it

    try:
        for_app(app).update([*changed, *retired])
    except Exception:
        # The import stands; the index is left behind the catalogue, which the health check
        # reports and the next server start (or `lms reindex`) repairs.
        app.logger.exception("search: the index could not follow this import")
        with suppress(OSError):
            storage.mark_stale(storage.search_folder(app))


def rebuild_if_stale(app, **_extra):
    """Rebuild a missing, outdated or behind index in the background while the server starts."""
    try:
        if storage.status(storage.search_folder(app), app.config["LANGUAGES"]).ok:
            return
    except Exception:
        app.logger.exception("search: could not check the index")
        return
    finally:
        db.session.remove()  # the command's context lasts as long as the server: hold no transaction
    threading.Thread(target=_rebuild, args=(app,), name="search-rebuild", daemon=True).start()


def _rebuild(app):
    from lms.search.index import for_app

    with app.app_context():
        try:
            if for_app(app).ensure_current():
                app.logger.info("search: index rebuilt")
        except Exception:
            app.logger.exception("search: rebuilding the index failed")


def health():
    """Return (ok, detail): is the index present, of this version and in step with the catalogue?"""
    try:
        status = storage.status(storage.search_folder(), current_app.config["LANGUAGES"])
    except Exception as exc:  # health checks report, they never raise
        return False, exc.__class__.__name__
    return status.ok, f"{status.state}: {status.detail}"
