"""Language choice: the user's preference, else the browser's, else the site default."""
from flask import current_app, request, session
from flask_login import current_user

LANGUAGE_NAMES = {"fr": "Français", "en": "English"}


def supported_languages():
    """Return the site's language codes."""
    return tuple(current_app.config["LANGUAGES"])


def select_locale():
    """Pick the interface language for this request."""
    languages = supported_languages()
    if current_user and getattr(current_user, "is_authenticated", False):
        if current_user.locale in languages:
            return current_user.locale
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def writing_language(user):
    """Return the language a person writes in now: her interface language, which she reads and types in.

    Stored with what she writes (work, feedback, posts) and rendered as its lang attribute, so a screen
    reader reads a French comment in French inside an English page. None when it is not a site language.
    """
    return user.locale if user.locale in supported_languages() else None
