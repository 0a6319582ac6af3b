"""Bulk enrolment from a CSV file: good rows become accounts with one-time codes, bad rows are reported.

Columns: name, username or phone, language — with a header row in English or
French, or in that order without one; commas or semicolons (as French Excel writes).
A file that cannot be read as a whole (empty, not text, too long, a line the CSV
reader refuses) is refused before anything is created.
"""
import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

from lms.accounts import services as accounts
from lms.accounts.models import User
from lms.cohorts import services

HEADERS = {
    "name": {"name", "nom", "display name", "nom complet", "full name"},
    "username": {"username", "identifiant", "nom d'utilisatrice", "nom d'utilisateur", "login"},
    "phone": {"phone", "téléphone", "telephone", "tel", "tél", "mobile"},
    "language": {"language", "langue", "lang"},
    "username_or_phone": {"username or phone", "identifiant ou téléphone"},
}
PHONE = re.compile(r"^\+?[0-9][0-9 ().-]{5,23}$")
MAX_ROWS = 1000  # learners per file; ENROL_MAX_ROWS overrides it
MAX_BYTES = 512 * 1024  # read no more of an upload; ENROL_MAX_BYTES overrides it
NAME_LENGTH = User.__table__.c.display_name.type.length
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # never in a text file; NUL ends a C string


class EnrolmentFileError(ValueError):
    """The file as a whole cannot be enrolled: nothing is created. `code` says why."""

    def __init__(self, code, line=None, limit=None):
        super().__init__(code)
        self.code, self.line, self.limit = code, line, limit


@dataclass
class EnrolmentResult:
    created: list = field(default_factory=list)  # (user, one-time code)
    errors: list = field(default_factory=list)  # (line number, message)


def _column_of(header):
    key = header.strip().lower()
    return next((name for name, names in HEADERS.items() if key in names), None)


def read_upload(stream, max_bytes=MAX_BYTES):
    """Return the text of an uploaded file, reading no more than max_bytes of it."""
    raw = stream.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise EnrolmentFileError("too_large", limit=max_bytes)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text"
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "cp1252")  # cp1252: what Excel on Windows writes
    for encoding in encodings:
        try:
            return clean_text(raw.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise EnrolmentFileError("not_text")


def clean_text(text):
    """Return pasted or decoded text with its line endings made plain; refuse empty or binary text."""
    if CONTROL.search(text):
        raise EnrolmentFileError("not_text")
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")  # old Mac files end lines with CR
    if not text.strip():
        raise EnrolmentFileError("empty")
    return text


def read_rows(text, max_rows=MAX_ROWS):
    """Return ([(line number, cells)], columns) for the learners' lines; refuse the file when it cannot be read."""
    sample = text[:2000]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((reader.line_num, row))
            if len(rows) > max_rows + 1:  # one more for a header
                raise EnrolmentFileError("too_many_rows", limit=max_rows)
    except csv.Error:  # a field over the reader's limit (131,072 characters)
        raise EnrolmentFileError("bad_line", line=reader.line_num) from None
    columns = [_column_of(h) for h in rows[0][1]] if rows else []
    if "name" in columns:
        rows = rows[1:]
    else:
        columns = ["name", "username_or_phone", "language"]
    if not rows:
        raise EnrolmentFileError("empty")
    if len(rows) > max_rows:
        raise EnrolmentFileError("too_many_rows", limit=max_rows)
    return rows, columns


def suggest_username(name, taken):
    base = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]+", ".", base).strip(".")[:30] or "apprenante"
    if len(base) < 3:
        base = f"{base}.lms"
    candidate, n = base, 1
    while candidate in taken or accounts.get_user_by_username(candidate):
        n += 1
        candidate = f"{base}{n}"
    return candidate


def enrol_csv(actor, cohort, text, languages=("fr", "en"), max_rows=MAX_ROWS):
    """Create and enrol an account for each good row; report the others by line number.

    Raises EnrolmentFileError, having created nothing, when the file cannot be read as a whole.
    """
    return enrol_rows(actor, cohort, read_rows(clean_text(text), max_rows), languages)


def enrol_rows(actor, cohort, rows_and_columns, languages=("fr", "en")):
    """Create and enrol an account for each good row read by read_rows; report the others by line number."""
    result = EnrolmentResult()
    rows, columns = rows_and_columns
    taken = set()
    for line, row in rows:
        values = {column: (row[i].strip() if i < len(row) else "") for i, column in enumerate(columns) if column}
        name = values.get("name", "")
        username = values.get("username", "")
        phone = values.get("phone", "")
        either = values.get("username_or_phone", "")
        if either:
            if PHONE.match(either):
                phone = phone or either
            else:
                username = username or either
        language = (values.get("language") or cohort.language).lower()[:2]
        if not name:
            result.errors.append((line, "name_missing"))
            continue
        if len(name) > NAME_LENGTH:
            result.errors.append((line, "name_too_long"))
            continue
        if phone and not PHONE.match(phone):
            result.errors.append((line, "bad_phone"))
            continue
        if language not in languages:
            result.errors.append((line, "bad_language"))
            continue
        if username:
            username = accounts.normalise_username(username)
            if not accounts.USERNAME_PATTERN.fullmatch(username):
                result.errors.append((line, "bad_username"))
                continue
            if username in taken or accounts.get_user_by_username(username):
                result.errors.append((line, "username_taken"))
                continue
        else:
            username = suggest_username(name, taken)
        taken.add(username)
        user, code = services.create_learner(actor, cohort, username, name, language, phone or None)
        result.created.append((user, code))
    return result
