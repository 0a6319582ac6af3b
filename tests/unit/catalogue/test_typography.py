"""French spacing: what the renderer adds to French lesson text, and what it must never touch."""
import pytest

from lms.catalogue.typography import NBSP, NNBSP, french_spacing, french_spacing_text, typeset_french
from lms.catalogue.specs import TextSpec
from lms.core.markdown import render


def fr(markdown):
    return french_spacing(render(markdown)[0])


@pytest.mark.parametrize("typed, expected", [
    ("Pourquoi un site ?", f"Pourquoi un site{NNBSP}?"),
    ("Attention : ne payez pas !", f"Attention{NNBSP}: ne payez pas{NNBSP}!"),
    ("Trois choses ; pas plus.", f"Trois choses{NNBSP}; pas plus."),
    ("Bonjour!", f"Bonjour{NNBSP}!"),
    ("Vraiment ?!", f"Vraiment{NNBSP}?!"),
    ("Note: lisez tout.", f"Note{NNBSP}: lisez tout."),
    ("Elle dit « merci ».", f"Elle dit «{NNBSP}merci{NNBSP}»."),
    ("Elle dit «merci».", f"Elle dit «{NNBSP}merci{NNBSP}»."),
])
def test_french_punctuation_gets_a_narrow_no_break_space(typed, expected):
    assert fr(typed) == f"<p>{expected}</p>"


def test_large_numbers_and_their_currency_cannot_wrap():
    html = fr("Elle a vendu pour 101 000 FCFA, 1 250 000 GNF, 12 000 RWF et 2 500 F ; marge de 30 % en 2024.")
    assert f"101{NNBSP}000{NBSP}FCFA" in html
    assert f"1{NNBSP}250{NNBSP}000{NBSP}GNF" in html and f"12{NNBSP}000{NBSP}RWF" in html
    assert f"2{NNBSP}500{NBSP}F{NNBSP};" in html
    assert f"30{NBSP}%" in html
    assert "en 2024." in html  # a year is not a thousand


def test_a_mark_after_an_inline_tag_is_spaced_too():
    assert fr("Vous avez **tout compris**?") == f"<p>Vous avez <strong>tout compris</strong>{NNBSP}?</p>"


def test_code_urls_times_formulas_and_attributes_are_left_alone():
    source = ("À 10:30, ouvrez https://exemple.sn/page?x=1 ou www.exemple.sn/?a=b, écrivez à awa@exemple.sn, "
              "tapez `=SOMME(B2:B8; 2)` puis =SOMME.SI(E:E;\"Facebook\";D:D) et [le lien](https://a.sn/?q=1 \"Titre : ici\").\n\n"
              "```\nx ; y ? z : 1 000\n```\n\n<abbr title=\"Prix : 1 000 F ?\">PV</abbr>")
    html = fr(source)
    assert "10:30" in html
    assert "https://exemple.sn/page?x=1" in html and "www.exemple.sn/?a=b" in html and "awa@exemple.sn" in html
    assert "<code>=SOMME(B2:B8; 2)</code>" in html
    assert '=SOMME.SI(E:E;"Facebook";D:D)' in html
    assert 'href="https://a.sn/?q=1"' in html and 'title="Titre : ici"' in html
    assert "<pre><code>x ; y ? z : 1 000\n</code></pre>" in html
    assert 'title="Prix : 1 000 F ?"' in html
    assert "&amp;" in fr("Awa &amp; Fatou") and NNBSP not in fr("Awa &amp; Fatou")


def test_spacing_twice_changes_nothing_more():
    once = fr("Combien ? « 101 000 FCFA » : oui !")
    assert french_spacing(once) == once


def test_a_whole_french_lesson_text_is_typeset_title_check_and_assignment_included():
    quiz = {"questions": [{"id": "q1", "html": "Que faire ?", "multiple": False, "answers": [
        {"id": "a1", "html": "Livrer", "correct": False, "explanation_html": "Non : vérifiez d'abord !"}]}]}
    text = TextSpec(language="fr", title="Pourquoi ?", minutes=5, objectives=[], html="<p>Oui !</p>",
                    toc=[[2, "prix", "Le prix : 1 000 F"]], plain_text="Oui !", words=1, quiz=quiz,
                    assignment={"title": "À vous !", "submit": ["text"], "html": "<p>Photo ?</p>"},
                    source_path="x.fr.md", content_hash="h")
    done = typeset_french(text)
    assert done.title == f"Pourquoi{NNBSP}?" and done.html == f"<p>Oui{NNBSP}!</p>"
    assert done.toc == [[2, "prix", f"Le prix{NNBSP}: 1{NNBSP}000{NBSP}F"]]
    assert done.quiz["questions"][0]["html"] == f"Que faire{NNBSP}?"
    assert done.quiz["questions"][0]["answers"][0]["explanation_html"] == f"Non{NNBSP}: vérifiez d'abord{NNBSP}!"
    assert done.assignment["html"] == f"<p>Photo{NNBSP}?</p>" and done.assignment["title"] == f"À vous{NNBSP}!"
    assert text.html == "<p>Oui !</p>"  # the spec it was given is not changed
    assert done.plain_text == "Oui !"  # search and word counts keep ordinary spaces


def test_plain_text_helper_knows_the_character_before_it():
    assert french_spacing_text("?", before="t") == f"{NNBSP}?"
    assert french_spacing_text("?", before=" ") == "?"
