"""The one CSV writer: text that a spreadsheet would run as a formula is neutralised, numbers stay numbers."""
import csv
import io
from decimal import Decimal

import pytest

from lms.core.csvfile import csv_text, safe_cell


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x","y")', "+1+2", "-2+3", "@SUM(1)", "\t=1", "\r=1", "\n=1",
                                  "  =1", "＝1", "-5"])
def test_text_that_could_start_a_formula_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [-2, 0, 17, 3.5, -0.25, Decimal("-1.5")])
def test_numbers_stay_numbers_even_negative(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("text", ["Mariam Camara", "Dakar — Médina", "a=b", "1+1", "done (80%)", "2026-11-20", ""])
def test_ordinary_text_is_left_alone(text):
    assert safe_cell(text) == text


def test_none_is_an_empty_cell_and_booleans_are_text():
    assert safe_cell(None) == ""
    assert safe_cell(True) == "True"


def test_the_file_has_a_bom_and_quotes_what_needs_quoting():
    text = csv_text(["Name", "=Count"], [['=HYPERLINK("http://x","y")', -3], ['Line\nbreak, "quoted"', 4]])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [["Name", "'=Count"], ['\'=HYPERLINK("http://x","y")', "-3"], ['Line\nbreak, "quoted"', "4"]]
