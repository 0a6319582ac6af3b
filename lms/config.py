"""Built-in configuration defaults; a site overrides them in instance/config.py or LMS_* variables."""
import json
import os
import secrets
from pathlib import Path

from lms.core.files import create_once


class Defaults:
    """Safe defaults for a small server on a local network."""

    SQLALCHEMY_DATABASE_URI = None  # computed from the instance folder when unset
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set LMS_SESSION_COOKIE_SECURE=true behind HTTPS
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 24 * 30
    WTF_CSRF_TIME_LIMIT = None  # a form left open on a phone all day must still post
    WTF_CSRF_HEADERS = ["X-CSRFToken", "X-CSRF-Token"]
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    # Images (learners' photos, course images), checked from their header before decoding; see lms/media/images.py.
    UPLOAD_MAX_PIXELS = 50_000_000  # the largest image accepted: a 50-megapixel phone photo
    UPLOAD_MAX_DECODED_PIXELS = 16_000_000  # the most decoded at once (~64 MB); JPEGs are decoded at reduced scale

    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    LANGUAGES = ("fr", "en")

    SITE_NAME = "Femmes et numérique"
    REGISTRATION_OPEN = True
    PRIVATE_SITE = False
    SITE_URL = None  # e.g. "http://192.168.1.10"; default: the address the trainer browses with
    HTTPS_PORT = None  # `lms serve` also serves HTTPS on this port, with the centre's own certificate
    WIFI_NAME = None  # printed on the sign-up sheet

    # werkzeug scrypt: N=2**15, r=8, p=1 -> 32 MiB and ~50 ms a hash (see README).
    PASSWORD_METHOD = "scrypt:32768:8:1"
    THROTTLE_ACCOUNT_FAILURES = 5  # per account and address, per learner's PIN, per password change
    THROTTLE_ADDRESS_FAILURES = 30
    THROTTLE_ACCOUNT_TOTAL_FAILURES = 50  # per account from all addresses (guessing from many devices)
    THROTTLE_COHORT_PIN_FAILURES = 20  # wrong PINs in one cohort, whoever they were for
    ONE_TIME_CODE_DAYS = 7
    THROTTLE_WINDOW_SECONDS = 15 * 60
    THROTTLE_MAX_WAIT_SECONDS = 15 * 60

    OFFLINE_FILE_TOKEN_DAYS = 60  # a downloaded path file can send progress for this long

    # Running the centre (lms/operations): see the README's Backups section.
    BACKUP_DIR = None  # default: instance/backups; better a second disk or a USB stick
    BACKUP_KEEP = 7  # archives kept in the backup folder
    BACKUP_WARN_DAYS = 7  # the Backups page warns when the last backup is older
    BACKUP_DAILY_AT = None  # e.g. "02:30": `lms serve` backs up every day at this local time
    DISK_FREE_MARGIN_MB = 100  # every upload, import and backup must leave this much free
    CLOCK_SET_ALLOWED = True  # the Set the clock form runs `date -s` when the server runs as root

    COURSES_DIRS = None  # default: the courses/ folder beside the package
    MIGRATIONS_DIR = None  # default: migrations/ beside the package, else the copy inside it


def load_env(prefix="LMS_", environ=None):
    """Return config values from LMS_* variables, JSON-decoded where possible."""
    environ = os.environ if environ is None else environ
    values = {}
    for name, raw in environ.items():
        if not name.startswith(prefix) or name.startswith(prefix + "TEST_"):
            continue
        key = name[len(prefix):]
        try:
            values[key] = json.loads(raw)
        except ValueError:
            values[key] = raw
    if environ.get("DATABASE_URL"):
        values["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(environ["DATABASE_URL"])
    return values


def normalise_database_url(url):
    """Use the psycopg 3 driver for plain postgres:// and postgresql:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def default_migrations_dir():
    """The checkout's migrations/, or the copy an installed package carries."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "migrations", here / "_migrations"):
        if (candidate / "env.py").is_file():
            return str(candidate)
    return str(here.parent / "migrations")


def ensure_secret_key(instance_path):
    """Read the site's secret key, creating it on first start (once, whichever process starts first)."""
    path = Path(instance_path) / "secret_key"
    return create_once(path, lambda: secrets.token_hex(32).encode()).decode().strip()
