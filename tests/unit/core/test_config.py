"""Configuration: defaults, instance/config.py, then LMS_* variables; a generated secret."""
from pathlib import Path

from lms import create_app
from lms.config import load_env, normalise_database_url


def test_secret_key_is_generated_once_and_kept(tmp_path):
    first = create_app(instance_path=str(tmp_path)).config["SECRET_KEY"]
    second = create_app(instance_path=str(tmp_path)).config["SECRET_KEY"]
    assert first == second and len(first) == 64
    assert (Path(tmp_path) / "secret_key").stat().st_mode & 0o077 == 0


def test_each_site_has_its_own_secret(tmp_path):
    a = create_app(instance_path=str(tmp_path / "a")).config["SECRET_KEY"]
    b = create_app(instance_path=str(tmp_path / "b")).config["SECRET_KEY"]
    assert a != b


def test_instance_config_then_environment(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text("SITE_NAME = 'Centre de Dakar'\nREGISTRATION_OPEN = False\n")
    monkeypatch.setenv("LMS_REGISTRATION_OPEN", "true")
    app = create_app(instance_path=str(tmp_path))
    assert app.config["SITE_NAME"] == "Centre de Dakar"
    assert app.config["REGISTRATION_OPEN"] is True
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/lms.sqlite3"


def test_environment_values_are_decoded():
    values = load_env(environ={"LMS_THROTTLE_ACCOUNT_FAILURES": "3", "LMS_SITE_NAME": "Kigali",
                               "DATABASE_URL": "postgres://u@h/db", "HOME": "/root"})
    assert values == {"THROTTLE_ACCOUNT_FAILURES": 3, "SITE_NAME": "Kigali",
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u@h/db"}


def test_database_urls_use_psycopg3():
    assert normalise_database_url("postgresql://postgres@127.0.0.1/test").startswith("postgresql+psycopg://")
    assert normalise_database_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"


def test_sqlite_runs_in_wal_mode_with_foreign_keys(app):
    from lms.extensions import db

    if db.engine.dialect.name != "sqlite":
        return
    assert db.session.execute(db.text("PRAGMA journal_mode")).scalar() == "wal"
    assert db.session.execute(db.text("PRAGMA foreign_keys")).scalar() == 1
