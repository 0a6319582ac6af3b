"""What the downloadable file adds to the catalogue's path page: the download link and the file's size."""
from flask import url_for
from flask_babel import format_decimal, get_locale, gettext as _
from flask_login import current_user

from lms.core.hooks import page_context
from lms.offline import build
from lms.offline.addresses import progress_address
from lms.web.savedata import save_data_requested


def size_label(size):
    """Return a size in bytes as "84 KB" or "1.2 MB"."""
    kilobytes = max(1, round(size / 1024))
    if kilobytes < 1024:
        return _("%(num)d KB", num=kilobytes)
    return _("%(num)s MB", num=format_decimal(round(size / 1048576, 1)))


@page_context.connect_via("catalogue.show_path")
def path_file(_sender, path, **_extra):
    """Add "Download this path (84 KB)" to the path page, for a signed-in reader."""
    if not current_user.is_authenticated:
        return None
    size = build.file_size(current_user, path, str(get_locale()), progress_address, save_data_requested())
    return {"offline_file": {"url": url_for("offline.download_file", slug=path.slug), "size": size_label(size)},
            "panels": ["offline/_path_file.html"]}
