"""Voice notes wherever people talk (practical work, reviews, posts, questions on lessons): checked, transcoded
to compact Opus without metadata by lms.media.audio, stored privately, and said in words when refused.

The owning domain keeps the note's file name, length and size beside its record
(voice_columns) and serves it with send_voice_note once it has decided who may hear it.
"""
from dataclasses import dataclass

from flask_babel import gettext as _

from lms.core.disk import DiskFullError
from lms.media import audio, private_files

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
    try:
        name = private_files.store_new(folder, note.data, note.extension)
    except DiskFullError:
        raise VoiceError("disk_full") from None
    return StoredVoice(name, max(1, round(note.seconds)), len(note.data))


def save_from_field(field, folder):
    """Store the voice note sent in a form's file field; None when no file was chosen."""
    if not (field.data and getattr(field.data, "filename", None)):
        return None
    return save_voice_note(field.data.stream, folder)


def remove_voice_note(folder, stored):
    """Delete a stored voice note (a StoredVoice or its name) that what it belonged to did not keep."""
    if stored:
        private_files.remove(folder, getattr(stored, "name", stored))


def voice_columns(voice):
    """The columns a record keeps for its voice note: voice_note, voice_seconds, voice_bytes."""
    if voice is None:
        return {}
    return {"voice_note": voice.name, "voice_seconds": voice.seconds, "voice_bytes": voice.size}


def send_voice_note(folder, name):
    """Play a stored voice note privately (the caller has checked who may hear it)."""
    return private_files.send_private(folder, name, mimetype=audio.MIME_TYPE)


_MESSAGES = {
    "empty": lambda: _("This voice note is empty. Record it again."),
    "not_audio": lambda: _("This file is not a voice note we can play. Send a recording from your phone "
                           "(m4a, aac, amr, 3gp, ogg, opus, mp3 or wav)."),
    "damaged": lambda: _("This voice note arrived damaged or incomplete. Send it again."),
    "too_slow": lambda: _("This voice note took too long to prepare. Send a shorter one."),
    "busy": lambda: _("The server is busy with other voice notes. Send yours again in a minute."),
    "disk_full": lambda: _("The server's disk is full: your work was not saved. Tell your trainer, and send it later."),
}


def voice_message(error):
    """Say why a voice note was refused, with the limit it passed."""
    if error.code == "too_long":
        return _("This voice note is too long (%(minutes)s minutes at most). Record a shorter one.",
                 minutes=round(error.limit / 60))
    if error.code == "too_large":
        return _("This voice note is too large (%(megabytes)s MB at most). Record a shorter one.",
                 megabytes=round(error.limit / 1024 / 1024))
    return _MESSAGES.get(error.code, _MESSAGES["damaged"])()
