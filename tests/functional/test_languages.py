"""The interface speaks French and English: preference, browser, site default, switcher."""
from lms.core.catalogs import load, untranslated
from lms.extensions import db


def test_browser_language_is_used_for_visitors(client, admin):
    assert '<html lang="en">' in client.get("/sign-in", headers={"Accept-Language": "en-GB"}).get_data(as_text=True)
    assert "Se connecter" in client.get("/sign-in", headers={"Accept-Language": "fr-CI"}).get_data(as_text=True)


def test_site_default_is_used_when_the_browser_says_nothing_useful(client, admin):
    page = client.get("/sign-in", headers={"Accept-Language": "sw"}).get_data(as_text=True)
    assert '<html lang="fr">' in page


def test_anonymous_visitor_switches_language(client, admin):
    client.submit("/language?next=/sign-in", {"lang": "en"})
    page = client.get("/sign-in", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="en">' in page and "Sign in" in page


def test_switcher_is_on_every_page(client, admin):
    page = client.get("/sign-in").get_data(as_text=True)
    assert 'value="fr"' in page and 'value="en"' in page


def test_the_user_preference_wins_and_the_switcher_changes_it(client, learner, sign_in):
    learner.locale = "en"
    db.session.commit()
    sign_in("mariam")
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    response = client.submit("/language?next=/account", {"lang": "fr"})
    assert response.headers["Location"] == "/account"
    db.session.refresh(learner)
    assert learner.locale == "fr"


def test_switcher_ignores_unknown_languages_and_foreign_targets(client, admin):
    response = client.submit("/language?next=//evil.example/", {"lang": "xx"})
    assert response.headers["Location"] == "/"


def test_french_catalog_is_complete():
    assert untranslated(load("fr")) == []


def test_english_catalog_is_complete():
    assert untranslated(load("en")) == []


def test_french_interface_text_keeps_its_punctuation_on_the_line():
    """« ; : ! ? » and % take a narrow no-break space in French, so a phone never wraps them onto a line alone."""
    import re

    from babel.messages.pofile import read_po

    import lms

    with open(f"{lms.__path__[0]}/translations/fr/LC_MESSAGES/messages.po", "rb") as po:
        catalog = read_po(po)
    strings = [s for m in catalog if m.id for s in ([m.string] if isinstance(m.string, str) else m.string)]
    assert [s for s in strings if re.search(r" [;:!?»]|« | %%", s)] == []
