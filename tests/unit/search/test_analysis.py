"""The analysers: what a learner types on a phone meets what the lesson says."""
import pytest

from lms.search.analysis import fold, language_analyzer


def terms(language, text):
    return [token.text for token in language_analyzer(language)(text)]


@pytest.mark.parametrize("typed", ["referencement", "référencement", "Référencements", "REFERENCEMENTS"])
def test_accents_capitals_and_plurals_meet_in_french(typed):
    assert terms("fr", typed) == terms("fr", "référencement")


def test_plural_and_singular_meet_in_french():
    assert terms("fr", "reseaux sociaux") == terms("fr", "réseau social")
    assert terms("fr", "mots cles") == terms("fr", "mot-clé")
    assert terms("fr", "photos") == terms("fr", "photo")


def test_plural_and_singular_meet_in_english():
    assert terms("en", "Keywords") == terms("en", "keyword")
    assert terms("en", "social networks") == terms("en", "social network")


def test_questions_keep_only_the_words_that_matter():
    assert terms("fr", "comment vendre sur les réseaux") == terms("fr", "vendre réseaux")
    assert terms("en", "how do I sell on WhatsApp") == terms("en", "sell WhatsApp")


def test_fold_removes_accents_and_capitals():
    assert fold("Être trouvée") == "etre trouvee"
