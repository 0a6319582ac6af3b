"""Attack: names, cohorts, places and titles written as spreadsheet formulas come out of every export as text."""
import csv
import io

import pytest

from lms.catalogue.models import LearningPath, LessonText
from lms.extensions import db
from tests import factories

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
HYPERLINK = '=HYPERLINK("http://x","y")'


@pytest.fixture
def booby_trapped(cohort, learner, mentor, trainer, admin, course):
    """Every text a person can type that ends up in an export, written as a formula."""
    learner.display_name, learner.country = HYPERLINK, "=1"
    mentor.display_name = "@SUM(1)"
    trainer.display_name = "@SUM(2)"
    cohort.name, cohort.place = "+1+2", "@SUM(1)"
    path = db.session.execute(db.select(LearningPath)).scalar_one()
    path.title = {"en": "-2+3", "fr": "-2+3"}
    for text in db.session.execute(db.select(LessonText)).scalars():
        text.title = "=1+1"
    db.session.commit()
    for name in ("\t=1", "\r=1"):  # set after creation: the form strips spaces, an edit or import may not
        factories.cohort(trainer, learners=[learner], paths=[path], name="other").name = name
    db.session.commit()
    return cohort


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def assert_no_formula(rows):
    for row in rows:
        for cell in row:
            assert not cell.lstrip(" ").startswith(FORMULA_STARTS), (cell, row)


def test_the_cohort_dashboard_export(client, sign_in, booby_trapped):
    sign_in("fatou")
    rows = download(client, f"/cohorts/{booby_trapped.id}/dashboard.csv")
    assert_no_formula(rows)
    assert "'=1+1" in rows[0]
    mariam = next(r for r in rows if r[1] == "mariam")
    assert mariam[:4] == ["'" + HYPERLINK, "mariam", "'@SUM(1)", "0"]


def test_the_reach_export(client, sign_in, booby_trapped):
    sign_in("fatou")
    rows = download(client, "/reports/reach.csv")
    assert_no_formula(rows)
    assert ["'@SUM(2)", "fatou", "0", "'=1", "'-2+3", "1", "0"] in rows


@pytest.mark.parametrize("table, expected", [
    ("countries", [["'=1", "1", "0", "0"]]),
    ("cohorts", [["'\t=1", "0", "0"], ["'\r=1", "0", "0"], ["'+1+2", "0", "0"]]),
    ("paths", [["'-2+3", "0", "0"]]),
    ("funnel", [["Registered", "1"]]),
])
def test_the_programme_overview_exports(client, sign_in, booby_trapped, table, expected):
    sign_in("amina")
    rows = download(client, f"/reports/overview/{table}.csv")
    assert_no_formula(rows)
    for row in expected:
        assert row in rows
