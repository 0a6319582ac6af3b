"""Template globals and filters shared by every page."""
from datetime import date, datetime, timezone

from flask import current_app
from flask_babel import format_date, format_datetime, get_locale
from markupsafe import Markup

from lms.core.i18n import LANGUAGE_NAMES
from lms.core.markdown import sanitise_user_html


def init_app(app):
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["date"] = localised_date
    app.jinja_env.filters["datetime"] = localised_datetime
    app.jinja_env.filters["user_html"] = user_html

    @app.context_processor
    def site_globals():
        return {
            "site_name": current_app.config["SITE_NAME"],
            "current_language": str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]),
            "language_names": LANGUAGE_NAMES,
        }


def user_html(html):
    """Show stored HTML made from what a person typed, held to the user profile of today's rules."""
    return Markup(sanitise_user_html(html or ""))


def localised_date(value, format="medium"):
    """A date as the reader says it ("30 nov. 2026", "Nov 30, 2026"); stored times are naive UTC."""
    if value is None:
        return ""
    return format_date(value.date() if isinstance(value, datetime) else value, format=format)


def localised_datetime(value, format="medium"):
    """A stored naive-UTC time, in the reader's language and the site's time zone (BABEL_DEFAULT_TIMEZONE)."""
    if value is None:
        return ""
    if isinstance(value, date) and not isinstance(value, datetime):
        return localised_date(value, format)
    return format_datetime(value.replace(tzinfo=timezone.utc), format=format)
