"""What offline reading adds to the catalogue's path page: the download link and the file's size, and the
total size of the recorded readings that saving the path can include."""
from flask import url_for
from flask_babel import format_decimal, get_locale, gettext as _
from flask_login import current_user

from lms.catalogue import queries as catalogue
from lms.core.hooks import page_context
from lms.offline import build
from lms.offline.addresses import progress_address
from lms.web.offline import lesson_recordings
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
    language, save_data = str(get_locale()), save_data_requested()
    size = build.file_size(current_user, path, language, progress_address, save_data)
    offered = {"url": url_for("offline.download_file", slug=path.slug), "size": size_label(size)}
    recordings = lesson_recordings(catalogue.active_lessons(path), language)
    if recordings and sum(size for _url, size in recordings) <= build.MAX_AUDIO_BYTES:
        offered["with_audio"] = {"url": url_for("offline.download_file", slug=path.slug, audio="on"),
                                 "size": size_label(size + build.audio_overhead(recordings))}
    return {"offline_file": offered, "panels": ["offline/_path_file.html"]}


@page_context.connect_via("catalogue.show_path")
def path_recordings(_sender, path, **_extra):
    """Tell every reader of the path page how much its recorded readings weigh, and give the "Save this path"
    script their addresses and whether to offer them ticked (not when she saves data)."""
    lessons, language = catalogue.active_lessons(path), str(get_locale())
    recordings = lesson_recordings(lessons, language)
    if not recordings:
        return None
    total = sum(size for _url, size in recordings)
    read_aloud = sum(1 for lesson in lessons if (text := lesson.text(language)[0]) is not None and text.recordings)
    return {"path_audio": {"urls": [url for url, _size in recordings], "bytes": total, "size": size_label(total),
                           "count": read_aloud, "default": not save_data_requested()},
            "panels": ["offline/_path_audio.html"]}
