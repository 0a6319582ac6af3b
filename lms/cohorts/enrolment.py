"""Bulk enrolment from a CSV file: good rows become accounts with one-time codes, bad rows are reported.

Columns: name, username or phone, language — with a header row in English or
French, or in that order without one; commas or semicolons (as French Excel writes).
"""
import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

from lms.accounts import services as accounts
from lms.cohorts import services

HEADERS = {
    "name": {"name", "nom", "display name", "nom complet", "full name"},
    "username": {"username", "identifiant", "nom d'utilisatrice", "nom d'utilisateur", "login"},
    "phone": {"phone", "téléphone", "telephone", "tel", "tél", "mobile"},
    "language": {"language", "langue", "lang"},
    "username_or_phone": {"username or phone", "identifiant ou téléphone"},
}
PHONE = re.compile(r"^\+?[0-9][0-9 ().-]{5,23}$")


@dataclass
class EnrolmentResult:
    created: list = field(default_factory=list)  # (user, one-time code)
    errors: list = field(default_factory=list)  # (line number, message)


def _column_of(header):
    key = header.strip().lower()
    return next((name for name, names in HEADERS.items() if key in names), None)


def _rows(text):
    text = text.lstrip("\ufeff")
    sample = text[:2000]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = [(reader.line_num, row) for row in reader]
    if not rows:
        return [], None
    columns = [_column_of(h) for h in rows[0][1]]
    if "name" in columns:
        return rows[1:], columns
    return rows, ["name", "username_or_phone", "language"]


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


def enrol_csv(actor, cohort, text, languages=("fr", "en")):
    """Create and enrol an account for each good row; report the others by line number."""
    result = EnrolmentResult()
    rows, columns = _rows(text)
    taken = set()
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
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
        code = accounts.new_one_time_code()
        user = accounts.create_user(username, code, display_name=name, roles=("learner",), locale=language,
                                    phone=phone or None)
        user.must_change_password = True
        services.enrol(actor, cohort, user)
        result.created.append((user, code))
    return result
