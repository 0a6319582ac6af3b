"""This site's role, its Ed25519 key pair and its registration with a hub, kept in instance/sync/."""
import base64
import hashlib
import json
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import current_app

from lms.core.files import create_once

ROLES = ("centre", "hub")
MAX_COUNTER = 2**31 - 1  # the largest change number or mark a bundle or a pull may name: the columns are 32-bit integers


class SyncError(Exception):
    """A sync that cannot go on; the message says why in words, `line` where in the file.

    `status` is the HTTP status the hub answers it with (400 damaged, 403 not trusted, 409 out of step).
    """

    def __init__(self, message, line=1, status=400):
        super().__init__(message)
        self.line = line
        self.status = status


def site_role():
    """Return 'centre' (the default) or 'hub' (SITE_ROLE)."""
    role = str(current_app.config.get("SITE_ROLE") or "centre").lower()
    if role not in ROLES:
        raise SyncError(f"SITE_ROLE is {role!r}; it must be 'centre' or 'hub'")
    return role


def require_role(role):
    if site_role() != role:
        raise SyncError(f"this command runs on a {role}; this site is a {site_role()} (SITE_ROLE)")


def sync_dir():
    """instance/sync/, readable by the server's user only."""
    folder = Path(current_app.instance_path) / "sync"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def private_key():
    """Return this site's key, made on first use (mode 0600); every process gets the same one."""
    pem = create_once(sync_dir() / "site_key.pem", _new_key_pem)
    return serialization.load_pem_private_key(pem, password=None)


def _new_key_pem():
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def public_key_text(key=None):
    """This site's public key as 43 characters of URL-safe base64."""
    raw = (key or private_key()).public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def fingerprint(public_text):
    """A hub's id: the first 16 hex digits of its public key's SHA-256, short enough to read out."""
    return hashlib.sha256(public_text.encode()).hexdigest()[:16]


def sign(data: bytes) -> str:
    return base64.urlsafe_b64encode(private_key().sign(data)).decode().rstrip("=")


def verify(public_text, signature, data: bytes):
    """Return True if `signature` is the key's signature of `data`."""
    try:
        key = Ed25519PublicKey.from_public_bytes(_unb64(public_text))
        key.verify(_unb64(signature), data)
        return True
    except (InvalidSignature, ValueError, TypeError):
        return False


def _unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def registration():
    """Return the centre's registration {centre_id, name, hub, enrol, hub_key} or None."""
    path = sync_dir() / "centre.json"
    return json.loads(path.read_text()) if path.exists() else None


def save_registration(values):
    path = sync_dir() / "centre.json"
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as out:
        json.dump(values, out, indent=1)
    temporary.replace(path)
