"""Photos of practical work: checked, re-encoded (which drops EXIF, GPS position included), stored privately."""
import secrets
from pathlib import Path

from lms.core.disk import DiskFullError, ensure_free_space
from lms.media import images

MAX_BYTES = 6 * 1024 * 1024
MAX_SIDE = 1600


class UploadError(ValueError):
    """Why a photo was refused; `megapixels` names the limit when it had too many pixels."""

    def __init__(self, code, megapixels=None):
        super().__init__(code)
        self.megapixels = megapixels


def save_photo(stream, folder, limits=None):
    """Store an uploaded photo as a fresh JPEG without metadata; return its file name.

    Nothing is written unless the photo passed every check; limits come from
    lms.media.images.limits(config).
    """
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise UploadError("too_large")
    if not data:
        raise UploadError("empty")
    try:
        photo = images.reduce(data, (MAX_SIDE, MAX_SIDE), "JPEG", quality=80, **(limits or {}))
    except images.ImageError as error:
        raise UploadError(error.code, error.megapixels) from None
    folder = Path(folder)
    try:
        ensure_free_space(folder, len(photo.data))  # refuse now rather than leave half a photo
    except DiskFullError:
        raise UploadError("disk_full") from None
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.jpg"
    partial = folder / f"{name}.part"
    partial.write_bytes(photo.data)
    partial.replace(folder / name)
    return name


def remove_photo(folder, name):
    """Delete a photo that was stored for work the rules then refused."""
    (Path(folder) / name).unlink(missing_ok=True)
