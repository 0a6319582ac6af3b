"""Images we did not make: sized from their header, decoded within bounds, one at a time, re-encoded without metadata.

A few hundred kilobytes of PNG can claim 10,000 x 10,000 pixels and cost 400 MB
once decoded, and the server has 2 GB for everyone. So the size announced in
the header is checked before a single pixel is decoded; JPEG photos are decoded
at 1/2, 1/4 or 1/8 scale straight to about the size we keep (`Image.draft`);
other formats are decoded whole only when that stays under the decode limit;
and one image at a time is decoded per process, on one worker thread, so
concurrent uploads wait in turn instead of adding up.
"""
import ctypes
import ctypes.util
import math
import struct
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from io import BytesIO

from PIL import Image, ImageOps, UnidentifiedImageError

from lms.config import Defaults

FORMATS = ("JPEG", "PNG", "WEBP", "GIF")  # what phones and course folders use; no other Pillow plugin runs
WAIT_SECONDS = 60  # how long an image waits for its turn before the sender is told to try again
# Pillow's own guard, behind ours: it warns above this and refuses above twice this, whatever a site configures.
Image.MAX_IMAGE_PIXELS = Defaults.UPLOAD_MAX_PIXELS
ROTATED = {5, 6, 7, 8}  # EXIF orientations that swap width and height
DAMAGED = (OSError, ValueError, SyntaxError, EOFError, struct.error, IndexError, MemoryError)

# One worker thread per process decodes every image: images take turns instead of adding up, and
# the memory one image used is reused by the next instead of staying with each server thread
# (glibc keeps a malloc arena per thread: 4 threads decoding in turn still kept 4 images' worth).
_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lms-images")
try:
    _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    _libc.malloc_trim.argtypes = [ctypes.c_size_t]
except (OSError, AttributeError):  # not glibc: nothing to trim
    _libc = None


class ImageError(ValueError):
    """Why an image was refused: not_an_image, damaged, too_many_pixels (with the limit) or busy."""

    def __init__(self, code, limit=None):
        super().__init__(code)
        self.code, self.limit = code, limit

    @property
    def megapixels(self):
        return round(self.limit / 1_000_000) if self.limit else None


@dataclass
class Reduced:
    """The re-encoded image, and the size the original is shown at (upright)."""

    data: bytes
    width: int
    height: int
    format: str
    original_width: int
    original_height: int


def limits(config):
    """The pixel limits a site configured, as keyword arguments for reduce()."""
    return {"max_pixels": int(config.get("UPLOAD_MAX_PIXELS", Defaults.UPLOAD_MAX_PIXELS)),
            "decode_pixels": int(config.get("UPLOAD_MAX_DECODED_PIXELS", Defaults.UPLOAD_MAX_DECODED_PIXELS))}


def reduce(data, box, format, quality=80, max_pixels=Defaults.UPLOAD_MAX_PIXELS,
           decode_pixels=Defaults.UPLOAD_MAX_DECODED_PIXELS, wait=WAIT_SECONDS):
    """Decode an image within bounds, fit it in box (width, height) upright, and encode it without metadata."""
    with _open(data, max_pixels) as img:  # a bomb is refused here at once, without waiting for its turn
        _plan(img, box, decode_pixels)
    job = _worker.submit(_reduce, data, box, format, quality, max_pixels, decode_pixels)
    try:
        return job.result(timeout=wait)
    except TimeoutError:
        if job.cancel():
            raise ImageError("busy") from None
        return job.result()  # its turn came just now


def _reduce(*args):
    try:
        return _decode_and_encode(*args)
    finally:
        _give_memory_back()


def _decode_and_encode(data, box, format, quality, max_pixels, decode_pixels):
    with _open(data, max_pixels) as img:
        original = _shown_size(img)
        _plan(img, box, decode_pixels)
        try:
            img.load()
            stored_box = _stored_box(img, box)
            if img.mode in ("1", "P"):  # resample colours, not palette indexes
                img = img.convert("RGBA" if "transparency" in img.info else "RGB")
            img.thumbnail(stored_box, Image.Resampling.LANCZOS)
            img = ImageOps.exif_transpose(img)
            return Reduced(_encode(img, format, quality), img.width, img.height, format, *original)
        except Image.DecompressionBombError:
            raise ImageError("too_many_pixels", max_pixels) from None
        except DAMAGED:
            raise ImageError("damaged") from None


def _give_memory_back():
    """Return freed pixel memory to the system (glibc keeps it otherwise); elsewhere, do nothing."""
    if _libc is not None:
        _libc.malloc_trim(0)


def _plan(img, box, decode_pixels):
    """Make a JPEG decode at 1/2, 1/4 or 1/8 scale, never below what we keep; refuse what stays too big."""
    if img.format == "JPEG":
        img.draft(None, _fitted(img.size, _stored_box(img, box)))
    if img.width * img.height > decode_pixels:
        raise ImageError("too_many_pixels", decode_pixels)


def _open(data, max_pixels):
    """Open lazily (the header only) and refuse an image whose header announces too many pixels."""
    try:
        img = Image.open(BytesIO(data), formats=FORMATS)
    except Image.DecompressionBombError:
        raise ImageError("too_many_pixels", max_pixels) from None
    except UnidentifiedImageError:
        raise ImageError("not_an_image") from None
    except DAMAGED:
        raise ImageError("damaged") from None
    width, height = img.size
    if width < 1 or height < 1 or width * height > max_pixels:
        img.close()
        raise ImageError("too_many_pixels" if width * height else "damaged", max_pixels)
    return img


def _orientation(img):
    if img.format == "PNG" and "exif" not in img.info and img.tile:
        return 1  # Pillow would decode the whole PNG to look for EXIF after its pixels
    try:
        return img.getexif().get(0x0112, 1)
    except DAMAGED:
        return 1


def _stored_box(img, box):
    """The box as the pixels are stored: a photo taken sideways is turned upright after reducing."""
    return (box[1], box[0]) if _orientation(img) in ROTATED else box


def _shown_size(img):
    width, height = img.size
    return (height, width) if _orientation(img) in ROTATED else (width, height)


def _fitted(size, box):
    """The size of an image of `size` shrunk (never grown) to fit in box, keeping its shape."""
    scale = min(box[0] / size[0], box[1] / size[1], 1)
    return max(1, math.ceil(size[0] * scale)), max(1, math.ceil(size[1] * scale))


def _encode(img, format, quality):
    out = BytesIO()
    if format == "JPEG":
        if img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info:
            img = img.convert("RGBA")
            flat = Image.new("RGB", img.size, (255, 255, 255))  # transparent parts become white, not black
            flat.paste(img, mask=img.getchannel("A"))
            img = flat
        elif img.mode != "RGB":
            img = img.convert("RGB")
        img.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    elif format == "PNG":
        if img.mode not in ("RGB", "RGBA", "L", "LA", "P", "1"):
            img = img.convert("RGBA")
        if img.mode in ("RGB", "RGBA"):
            img = _fewer_colours(img)
        img.save(out, "PNG", optimize=True)
    elif format == "WEBP":
        img.save(out, "WEBP", quality=quality)
    else:
        raise ValueError(f"unknown image format {format}")
    return out.getvalue()


def _fewer_colours(img):
    """Keep a palette when the picture has at most 256 colours (diagrams, screenshots): a much smaller PNG."""
    if img.getcolors(256) is None:
        return img
    method = Image.Quantize.FASTOCTREE if img.mode == "RGBA" else Image.Quantize.MEDIANCUT
    return img.quantize(256, method=method)
