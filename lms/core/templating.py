"""Template globals and filters shared by every page."""
from datetime import date, datetime, timezone

from flask import current_app
from flask_babel import format_date, format_datetime, format_percent, get_locale
from jinja2 import pass_context
from markupsafe import Markup

from lms.core.i18n import LANGUAGE_NAMES
from lms.core.markdown import sanitise_user_html


def init_app(app):
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["date"] = localised_date
    app.jinja_env.filters["datetime"] = localised_datetime
    app.jinja_env.filters["user_html"] = user_html
    app.jinja_env.filters["lang_attr"] = lang_attr
    app.jinja_env.filters["country"] = country_name
    app.jinja_env.filters["percent"] = percent
    app.jinja_env.globals["forms_with_errors"] = forms_with_errors

    @app.context_processor
    def site_globals():
        return {
            "site_name": current_app.config["SITE_NAME"],
            "current_language": str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]),
            "language_names": LANGUAGE_NAMES,
        }


def percent(value):
    """A whole percentage as her language writes it: "70 %" in French (a narrow no-break space), "70%" in English."""
    return format_percent(value / 100)


def user_html(html):
    """Show stored HTML made from what a person typed, held to the user profile of today's rules."""
    return Markup(sanitise_user_html(html or ""))


def lang_attr(language):
    """Return ' lang="fr"' for text written in a known language (read aloud in it), else nothing."""
    return Markup(' lang="%s"') % language if language else ""


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


def country_name(code):
    """The country's name in the reader's language ("SN" -> "Sénégal" / "Senegal"); unknown codes stay as they are."""
    if not code:
        return ""
    return get_locale().territories.get(str(code).upper(), code)


@pass_context
def forms_with_errors(context):
    """Return the page's forms that came back with errors, for the error summary and the "Error:" title."""
    return [value for value in context.get_all().values()
            if hasattr(value, "_fields") and hasattr(value, "validate") and value.errors]
