"""Images and files that lessons use, stored under content-hashed names in instance/media.

Each image gets a reduced variant for phones (at most 720 px wide); the original
stays available. Names never change for the same bytes, so they can be cached forever.
"""
import hashlib
import shutil
from pathlib import Path

SMALL_WIDTH = 720
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp"}
DOWNLOAD_SUFFIXES = {".csv", ".pdf", ".xlsx", ".xls", ".ods", ".txt", ".zip", ".docx", ".odt"}
URL_PREFIX = "/media/"


class MediaError(ValueError):
    pass


def media_folder(app):
    """Where the site keeps lesson images and files: instance/media."""
    return Path(app.instance_path) / "media"


class MediaStore:
    """Copy files into a media folder; with dry_run, only check them."""

    def __init__(self, folder, dry_run=False):
        self.folder, self.dry_run = Path(folder), dry_run
        self._seen = {}

    def image(self, path):
        """Store an image and its reduced variant; return URLs and the reduced size."""
        from PIL import Image, UnidentifiedImageError  # only imports need Pillow, not the server

        path = Path(path)
        if path in self._seen:
            return self._seen[path]
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()[:20]
        suffix = ".jpg" if path.suffix.lower() == ".jpeg" else path.suffix.lower()
        full_name = f"{digest}{suffix}"
        try:
            with Image.open(path) as img:
                img.load()
                width, height = img.size
                small = img
                if width > SMALL_WIDTH:
                    height = round(height * SMALL_WIDTH / width)
                    width = SMALL_WIDTH
                    small = img.resize((width, height), Image.LANCZOS)
                small_suffix = ".jpg" if suffix == ".jpg" else ".png" if suffix in (".png", ".gif") else suffix
                small_name = f"{digest}.{SMALL_WIDTH}{small_suffix}"
                if not self.dry_run:
                    self._write_small(small, small_name, small_suffix)
        except (UnidentifiedImageError, OSError) as exc:
            raise MediaError(f"not a readable image: {path.name} ({exc.__class__.__name__})") from exc
        if not self.dry_run:
            self._copy(path, full_name)
        found = {"full": URL_PREFIX + full_name, "small": URL_PREFIX + small_name,
                 "width": width, "height": height, "size": len(data)}
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
        target = self.folder / name
        if not target.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)

    def _write_small(self, img, name, suffix):
        target = self.folder / name
        if target.exists():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".tmp")
        if suffix == ".jpg":
            img.convert("RGB").save(tmp, "JPEG", quality=72, optimize=True, progressive=True)
        elif suffix == ".png":
            if img.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                img = img.convert("RGBA")
            img.save(tmp, "PNG", optimize=True)
        else:
            img.save(tmp, "WEBP", quality=72)
        tmp.replace(target)
