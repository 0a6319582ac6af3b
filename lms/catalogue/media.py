"""Images, files and recorded readings that lessons use, stored under content-hashed names in instance/media.

Each image gets a reduced variant for phones (at most 720 px wide, never heavier
than the original); the original stays available. Images are checked and decoded
within bounds by lms.media.images. Names never change for the same bytes, so they
can be cached forever.
"""
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

SMALL_WIDTH = 720
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"}
DOWNLOAD_SUFFIXES = {".csv", ".pdf", ".xlsx", ".xls", ".ods", ".txt", ".zip", ".docx", ".odt"}
URL_PREFIX = "/media/"
SMALL_FORMATS = {".jpg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
# A lesson read aloud by its trainer: any recording a phone or a computer makes, kept as compact Opus.
AUDIO_SUFFIXES = {".opus", ".ogg", ".oga", ".mp3", ".m4a", ".aac", ".wav", ".amr", ".3gp", ".webm"}
AUDIO_MAX_SECONDS = 30 * 60  # a long lesson read slowly
AUDIO_MAX_BYTES = 64 * 1024 * 1024  # half an hour of m4a or mp3 from a phone; a WAV that long is too big
AUDIO_DEADLINE_SECONDS = 300  # half an hour of speech transcodes in about 20 s on a small machine


class MediaError(ValueError):
    pass


def image_problem(name, error):
    """Say why an image was refused, for the import's file:line messages."""
    if error.code == "too_many_pixels":
        return f"image too large: {name} has more than {error.megapixels} million pixels; make it smaller"
    if error.code == "busy":
        return f"image not processed: {name} waited too long for its turn; import again"
    if error.code == "damaged":
        return f"damaged or incomplete image: {name}"
    return f"not a readable image: {name} (use PNG, JPEG, GIF, WebP or SVG)"


def audio_problem(name, error):
    """Say why a recorded reading was refused, for the import's file:line messages."""
    if error.code == "too_long":
        return f"recording too long: {name} lasts more than {error.limit // 60} minutes; cut it in parts"
    if error.code == "too_large":
        return (f"recording too large: {name} is over {error.limit // (1024 * 1024)} MB; "
                "save it as m4a, mp3 or opus")
    if error.code in ("too_slow", "busy"):
        return f"recording not processed: {name} took too long to convert; import again"
    if error.code in ("damaged", "empty"):
        return f"damaged or incomplete recording: {name}"
    return f"not a recording we can play: {name} (use m4a, mp3, ogg, opus, wav, aac, amr or 3gp)"


def media_folder(app):
    """Where the site keeps lesson images and files: instance/media."""
    return Path(app.instance_path) / "media"


class MediaStore:
    """Copy files for a media folder; with dry_run, only check them.

    New files wait in a staging folder beside the media folder until `publish()`,
    called once the import's transaction committed; `discard()` after a failure
    removes them, so a failed import leaves no file behind.
    """

    def __init__(self, folder, dry_run=False, limits=None):
        self.folder, self.dry_run = Path(folder), dry_run
        self.limits = limits or {}  # lms.media.images.limits(config)
        self._seen = {}
        self._staging = None

    def publish(self):
        """Move the staged files into the media folder (after the transaction committed)."""
        if self._staging is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for staged in self._staging.iterdir():
            target = self.folder / staged.name
            if target.exists():
                staged.unlink()
            else:
                os.replace(staged, target)
        self.discard()

    def discard(self):
        """Remove the staged files (the import failed or was only a check)."""
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
            self._staging = None

    def _staged(self, name):
        """Return where to write a new file, or None when the media folder already has it."""
        if (self.folder / name).exists():
            return None
        if self._staging is None:
            self.folder.parent.mkdir(parents=True, exist_ok=True)
            self._staging = Path(tempfile.mkdtemp(prefix=".media-import-", dir=self.folder.parent))
        target = self._staging / name
        return None if target.exists() else target

    def image(self, path):
        """Store an image and its reduced variant; return URLs and the reduced size.

        The reduced variant is never heavier than the original: when re-encoding
        does not help, phones get the original itself.
        """
        from lms.media import images  # only imports need Pillow, not the server

        path = Path(path)
        if path in self._seen:
            return self._seen[path]
        data = path.read_bytes()
        if path.suffix.lower() == ".svg":
            return self._svg(path, data)
        digest = hashlib.sha256(data).hexdigest()[:20]
        suffix = ".jpg" if path.suffix.lower() == ".jpeg" else path.suffix.lower()
        full_name = f"{digest}{suffix}"
        small_suffix = ".png" if suffix == ".gif" else suffix
        if small_suffix not in SMALL_FORMATS:
            raise MediaError(f"not a readable image: {path.name} (use PNG, JPEG, GIF or WebP)")
        try:
            reduced = images.reduce(data, (SMALL_WIDTH, SMALL_WIDTH * 100), SMALL_FORMATS[small_suffix],
                                    quality=72, **self.limits)
        except images.ImageError as exc:
            raise MediaError(image_problem(path.name, exc)) from None
        if len(reduced.data) < len(data):
            small_name, width, height = f"{digest}.{SMALL_WIDTH}{small_suffix}", reduced.width, reduced.height
            if not self.dry_run:
                self._write(reduced.data, small_name)
        else:
            small_name, width, height = full_name, reduced.original_width, reduced.original_height
        if not self.dry_run:
            self._copy(path, full_name)
        found = {"full": URL_PREFIX + full_name, "small": URL_PREFIX + small_name,
                 "width": width, "height": height, "size": len(data)}
        self._seen[path] = found
        return found

    def _svg(self, path, data):
        """Keep an SVG figure as it is drawn, sanitised; it needs no reduced copy."""
        from lms.media import svg

        try:
            clean, width, height = svg.sanitise(data)
        except svg.SvgError as exc:
            raise MediaError(f"SVG figure refused: {path.name} {exc}") from None
        name = f"{hashlib.sha256(clean).hexdigest()[:20]}.svg"
        if not self.dry_run:
            self._write(clean, name)
        found = {"full": URL_PREFIX + name, "small": URL_PREFIX + name, "width": width, "height": height,
                 "size": len(data)}
        self._seen[path] = found
        return found

    def audio(self, path):
        """Check a recorded reading and store its compact copy (Opus, mono, no metadata, by lms.media.audio);
        return its URL, length in seconds and size in bytes."""
        from lms.media import audio  # only imports with recordings need PyAV

        path = Path(path)
        if path in self._seen:
            return self._seen[path]
        if path.suffix.lower() not in AUDIO_SUFFIXES:
            raise MediaError(audio_problem(path.name, audio.AudioError("not_audio")))
        try:
            with path.open("rb") as stream:
                kept = audio.transcode(stream, max_seconds=AUDIO_MAX_SECONDS, max_bytes=AUDIO_MAX_BYTES,
                                       deadline=AUDIO_DEADLINE_SECONDS, wait=AUDIO_DEADLINE_SECONDS)
        except audio.AudioError as exc:
            raise MediaError(audio_problem(path.name, exc)) from None
        name = f"{hashlib.sha256(kept.data).hexdigest()[:20]}{kept.extension}"
        if not self.dry_run:
            self._write(kept.data, name)
        found = {"url": URL_PREFIX + name, "seconds": max(1, round(kept.seconds)), "bytes": len(kept.data)}
        self._seen[path] = found
        return found

    def download(self, path):
        """Store a file learners may download (a data set, a worksheet); return its URL."""
        path = Path(path)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:20]
        name = f"{digest}-{path.name}"
        if not self.dry_run:
            self._copy(path, name)
        return URL_PREFIX + name

    def _copy(self, path, name):
        target = self._staged(name)
        if target is not None:
            shutil.copyfile(path, target)

    def _write(self, data, name):
        target = self._staged(name)
        if target is not None:
            target.write_bytes(data)
