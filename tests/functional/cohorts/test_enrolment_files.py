"""Bulk enrolment from files that cannot be enrolled: a clear error on the page, and no account created."""
import codecs
import io
import re

import pytest

from lms.accounts.models import User
from lms.extensions import db

NOTHING = "No account was created."


@pytest.fixture
def enrol(client, cohort, sign_in):
    """Send a file (bytes) or pasted lines (str) to the cohort's enrolment form; return the page."""
    sign_in("fatou")

    def send(content, filename="liste.csv"):
        data = {"text": content} if isinstance(content, str) else {"file": (io.BytesIO(content), filename)}
        data["confirm"] = "1"  # straight past the line-by-line preview
        response = client.submit(f"/cohorts/{cohort.id}/enrol", data, content_type="multipart/form-data")
        return response.status_code, response.get_data(as_text=True)
    return send


def users():
    db.session.rollback()
    return db.session.execute(db.select(db.func.count(User.id))).scalar()


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\r\n\r\n", b"Name;Phone;Language\r\n", b";;\n;;\n", "  \n"])
def test_an_empty_file_is_said_to_be_empty(enrol, content):
    before = users()
    status, page = enrol(content)
    assert status == 200
    assert "The file is empty: there is no learner in it. " + NOTHING in page
    assert users() == before


@pytest.mark.parametrize("content", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01",  # a photo
    b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",  # an .xlsx workbook
    b"Awa Sow,awa.sow,fr\n\x00\x01\x02\x03",  # text that turns binary
    b"Awa \x81\x8d\x8f\x90\x9d,awa.sow,fr\n",  # neither UTF-8 nor Windows-1252
    "Awa Sow,awa.sow,fr\n".encode("utf-16-le"),  # UTF-16 without its BOM
])
def test_a_binary_file_is_refused_clearly(enrol, content):
    before = users()
    status, page = enrol(content)
    assert status == 200
    assert "This is not a CSV text file." in page and NOTHING in page
    assert users() == before


def test_pasted_control_characters_are_refused(enrol):
    before = users()
    assert "This is not a CSV text file." in enrol("Awa Sow,awa.sow,fr\n\x00Binta,binta,fr")[1]
    assert users() == before


@pytest.mark.parametrize("content", [
    b"Name,Username,Language\rAwa Sow,awa.sow,fr\rBinta Ba,binta.ba,en\r",  # old Mac line endings
    codecs.BOM_UTF16_LE + "Name,Username,Language\r\nAwa Sow,awa.sow,fr\r\nBinta Ba,binta.ba,en\r\n".encode("utf-16-le"),
    "Awa Sow;awa.sow;fr\r\nBinta Ba;binta.ba;en".encode("cp1252"),
])
def test_line_endings_and_encodings_spreadsheets_write_just_work(enrol, content):
    status, page = enrol(content)
    assert "2 accounts created" in page
    db.session.rollback()
    assert db.session.execute(db.select(User).filter_by(username="binta.ba")).scalar_one().locale == "en"


def test_a_field_too_long_for_the_reader_is_refused_with_its_line(enrol):
    before = users()
    content = "Name,Username,Language\nAwa Sow,awa.sow,fr\n\"" + "x" * 140_000 + "\",binta,fr\nBinta Ba,binta.ba,en\n"
    status, page = enrol(content.encode())
    assert status == 200
    assert "Line 3 cannot be read: one of its fields is too long (is a quote missing?). " + NOTHING in page
    assert users() == before


def test_a_name_longer_than_an_account_holds_is_a_bad_line(enrol):
    status, page = enrol("Awa Sow,awa.sow,fr\n" + "N" * 121 + ",binta,fr\n")
    assert "1 account created" in page
    assert re.search(r"<td>2</td>\s*<td><code>N+[^<]*</code></td>\s*<td><strong>Not enrolled:</strong> "
                     r"the name is longer than 120 characters", page)


def test_more_learners_than_a_file_may_hold_are_refused(enrol, app):
    before = users()
    lines = "Name,Username,Language\n" + "".join(f"Learner {i},learner{i},fr\n" for i in range(1001))
    status, page = enrol(lines.encode())
    assert "The file has more than 1000 learners: enrol them in several files. " + NOTHING in page
    assert users() == before

    app.config["ENROL_MAX_ROWS"] = 2
    assert "more than 2 learners" in enrol("A One,a.one,fr\nB Two,b.two,fr\nC Three,c.three,fr\n")[1]
    assert users() == before
    assert "2 accounts created" in enrol("Name,Username,Language\nA One,a.one,fr\nB Two,b.two,fr\n")[1]


def test_a_file_is_read_no_further_than_its_limit(enrol, app):
    app.config["ENROL_MAX_BYTES"] = 1024
    before = users()
    status, page = enrol(b"Awa Sow,awa.sow,fr\n" * 100)
    assert "The file is larger than 1 KB: enrol the learners in several files. " + NOTHING in page
    assert users() == before


def test_a_request_over_the_sites_upload_limit_gets_a_413_page(enrol, app):
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    status, page = enrol(b"Awa Sow,awa.sow,fr\n" * 10_000)
    assert status == 413 and "Traceback" not in page
