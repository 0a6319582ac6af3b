"""The index: what a search finds, in which order, with which snippet and suggestion."""
import pytest

from lms.search.index import for_app


@pytest.fixture
def index(app, corpus):
    return for_app(app)


def found(results):
    return [(hit.slug, hit.language) for hit in results.hits]


@pytest.mark.parametrize("typed", ["referencement", "référencement", "Référencements", "REFERENCEMENT"])
def test_accents_capitals_and_plurals_find_the_same_lessons(index, typed):
    assert found(index.search(typed, language="fr")) == found(index.search("référencement", language="fr"))
    assert ("seo-basics", "fr") in found(index.search(typed))


def test_plural_words_find_a_lesson_written_in_the_singular(index):
    results = index.search("reseaux sociaux")
    assert found(results)[0] == ("social-selling", "fr")
    assert "<mark>réseau</mark> <mark>social</mark>" in results.hits[0].snippet


def test_a_title_match_ranks_above_a_body_that_repeats_the_word(index):
    # "keywords" says "référencement" four times in its text; "seo-basics" has it in its title.
    slugs = [slug for slug, _language in found(index.search("référencement", language="fr"))]
    assert slugs[0] == "seo-basics"
    assert slugs.index("keywords") < slugs.index("cash-book")


def test_english_words_find_english_lessons(index):
    assert found(index.search("keywords")) == [("keywords", "en")]
    assert found(index.search("photograph")) == [("product-photos", "en")]


def test_the_preferred_language_comes_first_then_the_other(index):
    assert [lang for _slug, lang in found(index.search("Google", preferred="fr"))] == ["fr", "en"]
    assert [lang for _slug, lang in found(index.search("Google", preferred="en"))] == ["en", "fr"]


def test_filters_keep_one_language_or_one_path(index):
    assert found(index.search("Google", language="en")) == [("seo-basics", "en")]
    assert {slug for slug, _ in found(index.search("référencement", path="bookkeeping"))} == {"cash-book"}


def test_the_knowledge_check_is_searched_and_quoted(index):
    results = index.search("epargne")
    assert found(results) == [("social-selling", "fr")]
    assert "<mark>épargne</mark>" in results.hits[0].snippet


def test_snippets_escape_the_lesson_text_around_the_highlights(index):
    snippet = index.search("prix FCFA", language="fr").hits[0].snippet
    assert "<mark>prix</mark> &lt; 1000 <mark>FCFA</mark>" in snippet


def test_titles_are_highlighted_and_results_carry_their_path_and_module(index):
    hit = index.search("vendre abonnees").hits[0]
    assert hit.title == "<mark>Vendre</mark> à ses <mark>abonnées</mark>"
    assert hit.path_title["fr"] == "Être trouvée en ligne"
    assert hit.module_title["en"] == "Getting started"


def test_a_misspelt_word_is_corrected_when_nothing_matches(index):
    results = index.search("referencment")
    assert results.corrected and results.suggestion == "referencement"
    assert ("seo-basics", "fr") in found(results)


def test_a_misspelt_word_among_good_ones_gets_a_did_you_mean(index):
    results = index.search("Google whatsap")
    assert not results.corrected and results.suggestion == "Google whatsapp"
    assert results.total


def test_a_word_known_in_another_form_is_not_corrected(index):
    assert index.search("Référencements").suggestion is None
    assert index.search("zzkqwx").suggestion is None


def test_typed_syntax_is_taken_as_words(index):
    results = index.search("title:astuce* AND (OR")
    assert results.total == 12


def test_pages_split_the_results(index):
    first, last = index.search("astuce", per_page=5), index.search("astuce", page=9, per_page=5)
    assert (first.total, first.pages, len(first.hits)) == (12, 3, 5)
    assert (last.page, len(last.hits)) == (3, 2)
    assert not set(found(first)) & set(found(last))


def test_huge_result_sets_are_counted_only_so_far(index, monkeypatch):
    monkeypatch.setattr("lms.search.index.MAX_RESULTS", 5)
    results = index.search("astuce")
    assert (results.total, results.more, results.pages, len(results.hits)) == (5, True, 1, 5)
