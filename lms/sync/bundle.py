"""The bundle: one signed, compressed stream of JSON-lines chunks, the same over HTTP or on a USB stick.

A bundle is gzip text, one line per item: `SIGNATURE JSON`. Line 1 is the header (format, bundle id, hub,
centre, its public key, the counter range `base`..`upto`), then one line per chunk of records, then an end
line giving the number of chunks. Each signature is Ed25519 over the previous line's signature and this
line's JSON, so a line changed, dropped, reordered or taken from another bundle breaks the chain, and a
file cut short has no end line. The reader checks the whole file before anything is applied, in bounded
memory (one line at a time, lines at most MAX_LINE bytes).
"""
import gzip
import io
import json
import zlib

from lms.core.files import write_replacing
from lms.sync import keys
from lms.sync.keys import SyncError

FORMAT = "lms-sync-bundle/1"
ACK_FORMAT = "lms-sync-ack/1"
PULL_FORMAT = "lms-sync-pull/1"
MAX_LINE = 8 * 1024 * 1024
MAX_ACK = 16 * 1024 * 1024  # decisions (500 at most) and path versions: a few hundred KB in practice


def _dumps(value):
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


class Writer:
    """Write a header, chunks and the end line to a binary file object."""

    def __init__(self, out, header):
        self._gzip = gzip.GzipFile(fileobj=out, mode="wb", compresslevel=6, mtime=0)
        self._previous = ""
        self.chunks = 0
        self._line({"format": FORMAT, **header})

    def chunk(self, records):
        self.chunks += 1
        self._line({"chunk": self.chunks, "records": records})

    def close(self):
        self._line({"end": self.chunks})
        self._gzip.close()

    def _line(self, value):
        body = _dumps(value)
        signature = keys.sign((self._previous + body).encode())
        self._gzip.write(f"{signature} {body}\n".encode())
        self._previous = signature


def read(source, public_key_of):
    """Yield (line number, item) from a bundle whose every signature checks; raise SyncError otherwise.

    `source` is a file's path or the bundle's bytes (one HTTP push). `public_key_of(header)` returns the key
    the bundle must be signed with (it may refuse the header). Call it twice: once to check everything,
    then again to apply.
    """
    previous, key, line_number, ended = "", None, 0, False
    try:
        with gzip.open(io.BytesIO(source) if isinstance(source, bytes) else source, "rb") as stream:
            while True:
                raw = stream.readline(MAX_LINE + 1)
                if not raw:
                    break
                line_number += 1
                if len(raw) > MAX_LINE or not raw.endswith(b"\n"):
                    raise SyncError("this line is too long or cut short: the file is damaged", line_number)
                if ended:
                    raise SyncError("there is more after the end line: the file was changed", line_number)
                signature, _, body = raw.decode("utf-8").rstrip("\n").partition(" ")
                item = json.loads(body)
                if line_number == 1:
                    if not isinstance(item, dict) or item.get("format") != FORMAT:
                        raise SyncError("this is not a sync bundle of this version (format lms-sync-bundle/1)")
                    key = public_key_of(item)
                if not keys.verify(key, signature, (previous + body).encode()):
                    raise SyncError("the signature does not match: the file was changed or damaged, "
                                    "or it was not made by the centre it names", line_number, status=403)
                previous = signature
                ended = "end" in item
                yield line_number, item
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise SyncError(f"the file cannot be read ({error.__class__.__name__}): it is damaged or cut short",
                        max(line_number, 1)) from None
    except (ValueError, RecursionError):  # not UTF-8, not JSON, nested too deep or a number too long to read
        raise SyncError("this line is not JSON: the file is damaged", line_number) from None
    if not ended:
        raise SyncError("the file ends before its end line: it was cut short (copy it again)", max(line_number, 1))


def pull_message(hub, centre_id, since):
    """The text a centre signs to pull: it names the hub, the centre and the mark, so it serves nothing else."""
    return f"{PULL_FORMAT} {hub} {centre_id} {since}".encode()


def signed_ack(values):
    """Return a signed acknowledgement: what a USB ack file holds and what the hub answers over HTTP."""
    body = {"format": ACK_FORMAT, **values}
    return {"ack": body, "signature": keys.sign(_dumps(body).encode())}


def write_ack(path, values):
    """Write a signed acknowledgement (small JSON) for the centre to import (on a stick: never through a link)."""
    text = json.dumps(signed_ack(values), indent=1)
    write_replacing(path, lambda out: out.write(text.encode()))


def read_ack(path, expected_hub):
    """Return a checked acknowledgement's values; the hub's key must match the hub this centre registered with."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_ACK + 1)
        if len(data) > MAX_ACK:
            raise SyncError(f"this file is larger than an acknowledgement can be ({MAX_ACK // 1024 // 1024} MB)")
        signed = json.loads(data.decode("utf-8"))
    except (OSError, ValueError, RecursionError):  # ValueError: not UTF-8, not JSON, a number too long
        raise SyncError("this is not an acknowledgement file from a hub") from None
    return check_ack(signed, expected_hub)


def check_ack(signed, expected_hub):
    """Return the values of a signed acknowledgement (already parsed JSON) once its hub and signature check."""
    try:
        body, signature = signed["ack"], signed["signature"]
        hub_key = body["hub_key"]
    except (KeyError, TypeError):
        raise SyncError("this is not an acknowledgement from a hub") from None
    if not isinstance(hub_key, str) or not isinstance(signature, str):
        raise SyncError("this is not an acknowledgement from a hub")
    if body.get("format") != ACK_FORMAT:
        raise SyncError("this is not an acknowledgement of this version (format lms-sync-ack/1)")
    if keys.fingerprint(hub_key) != expected_hub or body.get("hub") != expected_hub:
        raise SyncError(f"this acknowledgement comes from another hub ({body.get('hub')}), "
                        f"not the one this centre is registered with ({expected_hub})")
    if not keys.verify(hub_key, signature, _dumps(body).encode()):
        raise SyncError("the signature does not match: the file was changed or damaged")
    return body
