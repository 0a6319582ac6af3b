"""lms: an offline-first learning platform for training of trainers."""
import os
from datetime import date
from pathlib import Path

from flask import Flask

from lms import config as site_config
from lms.extensions import babel, csrf, db

# Domains in dependency order; each has an init_app(app).
DOMAINS = ("site", "accounts", "catalogue", "progress", "cohorts", "mentoring", "community", "reports", "search", "web",
           "offline", "operations", "sync")
# The day this release was built: a clock that reads earlier is wrong (lms.core.clock).
RELEASE_DATE = date(2026, 12, 1)


def create_app(test_config=None, instance_path=None):
    """Build the application: defaults, then instance/config.py, then LMS_* variables."""
    instance_path = instance_path or os.environ.get("LMS_INSTANCE_PATH") or str(
        Path(__file__).resolve().parent.parent / "instance")
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)
    app.config.from_object(site_config.Defaults)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.update(site_config.load_env())
    else:
        app.config.update(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = site_config.ensure_secret_key(app.instance_path)
    app.config["SQLALCHEMY_DATABASE_URI"] = site_config.normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
        or "sqlite:///" + str(Path(app.instance_path) / "lms.sqlite3"))
    app.config["MIGRATIONS_DIR"] = app.config["MIGRATIONS_DIR"] or site_config.default_migrations_dir()
    if app.config.get("PROXY_FIX"):
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(app.config["PROXY_FIX"]), x_proto=1)

    _init_extensions(app)
    for name in DOMAINS:
        __import__(f"lms.{name}", fromlist=["init_app"]).init_app(app)
    from lms import cli
    cli.init_app(app)
    return app


def _init_extensions(app):
    from lms.core import i18n, security, templating
    from lms.core.database import configure_engine

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale,
                   default_translation_directories=str(Path(__file__).parent / "translations"))
    app.after_request(security.add_security_headers)
    templating.init_app(app)
