"""Images from outside: bombs are refused from their header, decoding stays bounded and takes turns."""
import io
import threading
import time

import pytest
from PIL import Image, ImageFile

from lms.media import images

pytestmark = pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")


def encoded(size, mode="RGB", format="PNG", colour=0, **params):
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, format, **params)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bomb():
    """10,000 x 10,000 pixels of 1-bit PNG: about 12 KB on the wire, 400 MB once decoded as RGBA."""
    return encoded((10_000, 10_000), mode="1")


@pytest.fixture
def decoding(monkeypatch):
    """Record every image decode, and how many ran at the same time."""
    seen = {"decodes": 0, "now": 0, "most": 0}
    lock = threading.Lock()
    real_load = ImageFile.ImageFile.load

    def load(img):
        if not img.tile:  # already decoded
            return real_load(img)
        with lock:
            seen["decodes"] += 1
            seen["now"] += 1
            seen["most"] = max(seen["most"], seen["now"])
        try:
            time.sleep(0.05)
            return real_load(img)
        finally:
            with lock:
                seen["now"] -= 1

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return seen


def test_a_decompression_bomb_is_refused_from_its_header_without_decoding(bomb, decoding):
    assert len(bomb) < 50_000
    with pytest.raises(images.ImageError) as refused:
        images.reduce(bomb, (1600, 1600), "JPEG")
    assert refused.value.code == "too_many_pixels" and refused.value.megapixels == 50
    assert decoding["decodes"] == 0


def test_a_png_too_large_to_decode_whole_is_refused_without_decoding(decoding):
    png = encoded((5000, 4000))  # 20 MP: under the header limit, over the decode limit
    with pytest.raises(images.ImageError) as refused:
        images.reduce(png, (1600, 1600), "JPEG", max_pixels=50_000_000, decode_pixels=16_000_000)
    assert refused.value.code == "too_many_pixels" and refused.value.megapixels == 16
    assert decoding["decodes"] == 0


def test_a_big_jpeg_photo_is_decoded_at_reduced_scale(decoding, monkeypatch):
    photo = encoded((8000, 6000), format="JPEG", colour=(200, 120, 40))  # a 48 MP phone photo
    sizes = []
    real_load = ImageFile.ImageFile.load
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda img: (sizes.append(img.size), real_load(img))[1])
    reduced = images.reduce(photo, (1600, 1600), "JPEG", decode_pixels=16_000_000)
    assert (reduced.width, reduced.height) == (1600, 1200)
    assert (reduced.original_width, reduced.original_height) == (8000, 6000)
    assert sizes[0] == (2000, 1500)  # decoded at 1/4 scale: 3 MP, not 48


def test_the_site_limits_are_read_from_its_settings():
    assert images.limits({"UPLOAD_MAX_PIXELS": 1000, "UPLOAD_MAX_DECODED_PIXELS": 500}) == {
        "max_pixels": 1000, "decode_pixels": 500}
    with pytest.raises(images.ImageError):
        images.reduce(encoded((40, 30)), (20, 20), "PNG", **images.limits({"UPLOAD_MAX_PIXELS": 1000}))


def test_images_are_decoded_one_at_a_time(decoding):
    photo = encoded((1200, 900), format="JPEG", colour=(10, 90, 200))
    errors = []

    def send():
        try:
            images.reduce(photo, (800, 800), "JPEG")
        except Exception as error:  # noqa: BLE001 - the assertion below shows it
            errors.append(error)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert decoding["decodes"] == 4 and decoding["most"] == 1


def test_an_image_that_waits_too_long_for_its_turn_is_refused_as_busy():
    release = threading.Event()
    blocker = images._worker.submit(release.wait, 10)  # another image, taking its time
    try:
        with pytest.raises(images.ImageError) as refused:
            images.reduce(encoded((50, 50)), (20, 20), "PNG", wait=0.05)
    finally:
        release.set()
        blocker.result()
    assert refused.value.code == "busy"


def test_a_bomb_is_refused_at_once_even_while_another_image_is_decoded(bomb):
    release = threading.Event()
    blocker = images._worker.submit(release.wait, 10)
    try:
        started = time.perf_counter()
        with pytest.raises(images.ImageError) as refused:
            images.reduce(bomb, (1600, 1600), "JPEG", wait=5)
        assert refused.value.code == "too_many_pixels" and time.perf_counter() - started < 1
    finally:
        release.set()
        blocker.result()


@pytest.mark.parametrize("data, code", [
    (b"", "not_an_image"),
    (b"<html>not a photo</html>", "not_an_image"),
    (encoded((20, 20), format="BMP"), "not_an_image"),  # Pillow reads it, we do not
    (encoded((800, 600), format="JPEG", colour=(1, 2, 3))[:300], "damaged"),
    (encoded((800, 600), colour=(1, 2, 3))[:60], "damaged"),
])
def test_unreadable_truncated_or_foreign_files_are_clear_errors(data, code):
    with pytest.raises(images.ImageError) as refused:
        images.reduce(data, (720, 720), "JPEG")
    assert refused.value.code == code


def test_the_copy_is_upright_and_carries_no_metadata():
    exif = Image.Exif()
    exif[0x0112] = 6  # taken sideways
    exif[0x8825] = {1: "N", 2: (14.0, 41.0, 0.0)}
    photo = encoded((4000, 3000), format="JPEG", colour=(9, 9, 9), exif=exif)
    reduced = images.reduce(photo, (720, 72_000), "JPEG")
    assert (reduced.width, reduced.height) == (720, 960)
    assert (reduced.original_width, reduced.original_height) == (3000, 4000)
    stored = Image.open(io.BytesIO(reduced.data))
    assert stored.size == (720, 960) and not stored.getexif() and "exif" not in stored.info


def test_transparent_parts_become_white_in_a_jpeg():
    logo = encoded((100, 100), mode="RGBA", colour=(0, 0, 0, 0))
    stored = Image.open(io.BytesIO(images.reduce(logo, (50, 50), "JPEG").data))
    assert stored.getpixel((25, 25)) > (245, 245, 245)
