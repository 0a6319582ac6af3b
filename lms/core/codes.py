"""Codes people read off a sheet or a screen and type on a phone: no 0/O, no 1/I/L."""
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def readable_code(groups, size=4, separator="-"):
    """Return a random code such as K7M4-P9XR (groups of `size` characters)."""
    return separator.join("".join(secrets.choice(ALPHABET) for _ in range(size)) for _ in range(groups))
