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
from lms.accounts.models import User, phone_tail
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
    invited: list = field(default_factory=list)  # existing accounts asked to join
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
    text = clean_text(text)
    return apply_plan(actor, cohort, plan_rows(cohort, text, read_rows(text, max_rows), languages))


@dataclass
class PlannedRow:
    """What enrolment will do with one line of the file: shown to the trainer before anything is created."""

    line: int
    text: str  # the line as written, quoted in messages
    name: str = ""
    username: str = ""
    phone: str = ""
    language: str = ""
    action: str = "create"  # create, invite (she has an account), member (already in), repeated (earlier line), error
    error: str | None = None
    expected: int = 0  # for a line with the wrong number of fields
    found: int = 0
    user: object = None  # her existing account, for invite and member


def plan_rows(cohort, text, rows_and_columns, languages=("fr", "en")):
    """Decide, line by line, what enrolment would do; change nothing.

    The same learner is never enrolled twice: a line whose phone number, or whose name and
    username, belong to an existing account invites that account (or says she is already in
    the cohort), and a line that repeats an earlier one is skipped.
    """
    rows, columns = rows_and_columns
    lines = text.split("\n")
    taken, seen = set(), {}
    plan = []
    for line, row in rows:
        item = PlannedRow(line=line, text=(lines[line - 1] if 0 < line <= len(lines) else "")[:200])
        plan.append(item)
        if len(row) != len(columns):
            item.action, item.error, item.expected, item.found = "error", "wrong_fields", len(columns), len(row)
            continue
        _fill(item, dict(zip(columns, (cell.strip() for cell in row))), cohort, languages)
        if item.error:
            item.action = "error"
            continue
        key = phone_tail(item.phone) or (item.name.casefold(), item.username)
        if key in seen:
            item.action, item.expected = "repeated", seen[key]
            continue
        seen[key] = line
        existing = _existing_account(item)
        if item.error:
            item.action = "error"
            continue
        if existing is not None:
            item.user = existing
            member = services.membership(cohort, existing)
            item.action = "member" if member and member.left_at is None else "invite"
            continue
        item.username = item.username or suggest_username(item.name, taken)
        taken.add(item.username)
    return plan


def _fill(item, values, cohort, languages):
    item.name = values.get("name", "")
    item.username, item.phone = values.get("username", ""), values.get("phone", "")
    either = values.get("username_or_phone", "")
    if either:
        if PHONE.match(either):
            item.phone = item.phone or either
        else:
            item.username = item.username or either
    item.language = (values.get("language") or cohort.language).lower()[:2]
    if not item.name:
        item.error = "name_missing"
    elif len(item.name) > NAME_LENGTH:
        item.error = "name_too_long"
    elif item.phone and not PHONE.match(item.phone):
        item.error = "bad_phone"
    elif item.language not in languages:
        item.error = "bad_language"
    elif item.username:
        item.username = accounts.normalise_username(item.username)
        if not accounts.USERNAME_PATTERN.fullmatch(item.username):
            item.error = "bad_username"


def _existing_account(item):
    """Her account when the line names one: by phone, or by username with the same name."""
    by_phone = accounts.get_user_by_phone(item.phone) if item.phone else None
    if by_phone is not None:
        return by_phone
    if item.username:
        by_username = accounts.get_user_by_username(item.username)
        if by_username is not None:
            if by_username.display_name.casefold() == item.name.casefold():
                return by_username
            item.error = "username_taken"
    return None


def apply_plan(actor, cohort, plan):
    """Carry out a plan made by plan_rows: create the new accounts, invite the existing ones."""
    result = EnrolmentResult()
    for item in plan:
        if item.action == "create":
            result.created.append(services.create_learner(actor, cohort, item.username, item.name, item.language,
                                                          item.phone or None))
        elif item.action == "invite":
            services.invite(actor, cohort, item.user)
            result.invited.append(item.user)
        elif item.action == "error":
            result.errors.append((item.line, item.error))
    return result
