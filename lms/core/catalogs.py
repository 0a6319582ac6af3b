"""Keep the translation catalogs complete: `python -m lms.core.catalogs` (run by `make i18n`).

English is the source language, so its catalog is filled with the source text;
French entries must be translated by hand and are listed when missing.
"""
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def load(locale):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=locale)


def save(catalog, locale):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "wb") as f:
        write_po(f, catalog, width=100, omit_header=False, no_location=True, sort_output=True)


def untranslated(catalog):
    """Return the ids of entries with an empty or fuzzy translation."""
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id)
    return missing


def fill_source_language(locale="en"):
    """Copy each source text into the English catalog."""
    catalog = load(locale)
    for message in catalog:
        if message.id and not message.string or (isinstance(message.string, tuple) and not all(message.string)):
            message.string = message.id
        message.flags.discard("fuzzy")
    save(catalog, locale)


def main():
    fill_source_language("en")
    missing = untranslated(load("fr"))
    for msgid in missing:
        print(f"fr: untranslated: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
