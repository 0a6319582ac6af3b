"""Photos of practical work: checked, re-encoded (which drops EXIF, GPS position included), stored privately."""
from lms.core.disk import DiskFullError
from lms.media import images, private_files

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
    try:
        return private_files.store_new(folder, photo.data, ".jpg")  # refused before writing when the disk is full
    except DiskFullError:
        raise UploadError("disk_full") from None


def remove_photo(folder, name):
    """Delete a photo that was stored for work the rules then refused."""
    private_files.remove(folder, name)
