"""Importing a lesson: French text gets its typographic spaces, English text and code do not."""
from lms.catalogue.models import Lesson
from lms.catalogue.typography import NBSP, NNBSP
from lms.extensions import db
from tests import course_tree


def test_import_adds_french_spaces_to_french_lessons_only(runner, tmp_path):
    courses = course_tree.native_tree(tmp_path / "courses")
    fr_file = courses / "01-market" / "01-stall.fr.md"
    fr_file.write_text(fr_file.read_text().replace(
        "Awa vend des mangues au marché Sandaga.",
        "Awa vend des mangues : 101 000 FCFA par mois ! Elle ouvre à 10:30, voir https://awa.sn/?p=1 "
        "et tapez `=SOMME(B2:B8)`."))
    en_file = courses / "01-market" / "01-stall.en.md"
    en_file.write_text(en_file.read_text().replace("Awa sells mangoes", "Awa sells mangoes : really !"))
    result = runner.invoke(args=["import-courses", str(courses)])
    assert result.exit_code == 0, result.output

    lesson = db.session.execute(db.select(Lesson).filter_by(slug="market-stall")).scalar_one()
    french, english = lesson.text("fr")[0], lesson.text("en")[0]
    assert f"mangues{NNBSP}: 101{NNBSP}000{NBSP}FCFA par mois{NNBSP}!" in french.html
    assert "10:30" in french.html and "https://awa.sn/?p=1" in french.html
    assert "<code>=SOMME(B2:B8)</code>" in french.html
    assert french.quiz["questions"][0]["html"] == f"Que mettre devant{NNBSP}?"
    assert "mangoes : really !" in english.html and NNBSP not in english.html
