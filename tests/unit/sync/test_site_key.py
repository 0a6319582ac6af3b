"""A hub runs several processes; the first to need the site key makes it, and they all sign with it."""
from pathlib import Path

from lms.sync import keys


def test_a_process_that_loses_the_race_to_make_the_key_uses_the_winners(app, monkeypatch):
    with app.app_context():
        winner = keys.public_key_text()
        # This process looked before the winner wrote the file: it makes its own key, then finds
        # the place taken when it links its file in.
        monkeypatch.setattr(Path, "exists", lambda self: False)
        assert keys.public_key_text() == winner
        monkeypatch.undo()
        leftovers = [p.name for p in keys.sync_dir().iterdir() if p.name != "site_key.pem"]
        assert leftovers == []


def test_the_key_is_made_once_and_kept(app):
    with app.app_context():
        assert keys.public_key_text() == keys.public_key_text()
        assert (keys.sync_dir() / "site_key.pem").stat().st_mode & 0o777 == 0o600
