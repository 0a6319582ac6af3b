"""Photos of practical work: checked, re-encoded (which drops EXIF, GPS position included), stored privately."""
import secrets
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 6 * 1024 * 1024
MAX_SIDE = 1600
Image.MAX_IMAGE_PIXELS = 40_000_000  # refuse decompression bombs


class UploadError(ValueError):
    pass


def save_photo(stream, folder):
    """Store an uploaded photo as a fresh JPEG without metadata; return its file name."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise UploadError("too_large")
    if not data:
        raise UploadError("empty")
    from io import BytesIO

    try:
        with Image.open(BytesIO(data)) as img:
            img = ImageOps.exif_transpose(img)  # keep the photo upright once EXIF is gone
            img.thumbnail((MAX_SIDE, MAX_SIDE))
            clean = img.convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
        raise UploadError("not_an_image") from None
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.jpg"
    clean.save(folder / name, "JPEG", quality=80, optimize=True, progressive=True)
    return name
