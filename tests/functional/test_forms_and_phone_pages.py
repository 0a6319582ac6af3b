"""Forms say what went wrong where a screen reader looks for it; pages speak the reader's language."""
import html
import re

import pytest

from lms.cohorts.enrolment import _column_of


def test_a_form_with_mistakes_has_an_error_title_a_summary_and_marked_fields(client, trainer, sign_in, course):
    sign_in("fatou")
    page = client.submit("/cohorts/new", {"name": "", "language": "fr", "starts_on": "2027-04-01",
                                          "ends_on": "2027-03-01"}).get_data(as_text=True)
    assert re.search(r"<title>Error: ", page)
    summary = page[page.index('class="error-summary"'):page.index("</div>", page.index('class="error-summary"'))]
    assert 'href="#name"' in summary and 'href="#ends_on"' in summary
    name_input = re.search(r"<input[^>]*id=\"name\"[^>]*>", page).group(0)
    assert 'aria-invalid="true"' in name_input and 'aria-describedby="name-hint name-error"' in name_input
    assert 'id="name-error"' in page and 'id="name-hint"' in page


def test_a_form_without_mistakes_has_no_summary(client, trainer, sign_in):
    sign_in("fatou")
    page = client.get("/cohorts/new").get_data(as_text=True)
    assert "error-summary" not in page and "<title>Error:" not in page and "aria-invalid" not in page


def test_a_wrong_password_marks_the_password_field(client, learner):
    page = client.submit("/sign-in", {"username": "mariam", "password": "not her password"}).get_data(as_text=True)
    password = re.search(r"<input[^>]*id=\"password\"[^>]*>", page).group(0)
    assert 'aria-invalid="true"' in password and 'aria-describedby="password-error"' in password
    assert re.search(r'id="password-error">.*Wrong username or password', page)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_csv_example_header_is_in_the_page_language_and_the_importer_reads_it(client, cohort, trainer, sign_in,
                                                                                 language):
    sign_in("fatou")
    client.submit("/language", {"lang": language})
    page = client.get(f"/cohorts/{cohort.id}/enrol").get_data(as_text=True)
    header = html.unescape(re.search(r'<pre class="example">([^\n]*)\n', page).group(1))
    assert all(_column_of(column) for column in header.split(",")), header


def test_the_country_list_opens_with_the_programme_countries_then_sorts_accents_as_letters(client, learner, sign_in):
    sign_in("mariam")
    client.submit("/language", {"lang": "fr"})
    page = client.get("/account").get_data(as_text=True)
    select = page[page.index('id="country"'):page.index("</select>", page.index('id="country"'))]
    names = [html.unescape(n) for n in re.findall(r"<option[^>]*>([^<]*)</option>", select)]
    assert names[1:5] == ["Sénégal", "Côte d’Ivoire", "Guinée", "Rwanda"]
    assert names.index("Égypte") < names.index("Espagne") < names.index("France")
    assert "zone euro" not in names and "Nations Unies" not in names
