"""Template globals shared by every page."""
from flask import current_app
from flask_babel import get_locale

from lms.core.i18n import LANGUAGE_NAMES


def init_app(app):
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def site_globals():
        return {
            "site_name": current_app.config["SITE_NAME"],
            "current_language": str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]),
            "language_names": LANGUAGE_NAMES,
        }
