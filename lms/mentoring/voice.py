"""Voice notes on practical work and on reviews: checked, transcoded to compact Opus without metadata, stored
privately beside the photos and served with the same rule."""
import secrets
from dataclasses import dataclass
from pathlib import Path

from lms.core.disk import DiskFullError, ensure_free_space
from lms.media import audio

MAX_SECONDS = audio.MAX_SECONDS


class VoiceError(ValueError):
    """Why a voice note was refused (lms.media.audio's codes, or disk_full); limit names the limit passed."""

    def __init__(self, code, limit=None):
        super().__init__(code)
        self.code, self.limit = code, limit


@dataclass(frozen=True)
class StoredVoice:
    """A voice note kept on disk: its file name, length in whole seconds (at least 1) and size in bytes."""

    name: str
    seconds: int
    size: int


def save_voice_note(stream, folder, max_seconds=MAX_SECONDS, max_bytes=audio.MAX_BYTES):
    """Check and transcode a voice note, then store it; return a StoredVoice. Nothing is written on refusal."""
    try:
        note = audio.transcode(stream, max_seconds=max_seconds, max_bytes=max_bytes)
    except audio.AudioError as error:
        raise VoiceError(error.code, error.limit) from None
    folder = Path(folder)
    try:
        ensure_free_space(folder, len(note.data))  # refuse now rather than leave half a note
    except DiskFullError:
        raise VoiceError("disk_full") from None
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}{note.extension}"
    partial = folder / f"{name}.part"
    partial.write_bytes(note.data)
    partial.replace(folder / name)
    return StoredVoice(name, max(1, round(note.seconds)), len(note.data))


def remove_voice_note(folder, name):
    """Delete a voice note that was stored for work or a review the rules then refused."""
    (Path(folder) / name).unlink(missing_ok=True)
