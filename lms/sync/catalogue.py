"""Catalogue updates through the pull: the hub serves each path's course folder, a centre installs and imports it.

The hub packs the folder a path was imported from as a deterministic .tar.gz (sorted names, no dates, owners or
modes of the hub's disk), so the same files always give the same archive and the same sha256; the pull lists each
path's digest inside the signed answer, and a centre accepts a downloaded archive only if it has that digest.
The centre extracts it with the checks of a hostile file (no absolute names, no `..`, only plain files and folders,
bounded size and count) next to instance/hub-courses/<slug>/, swaps the folders, then runs the normal importer:
lessons are updated in place by their ids, so learners' progress stays. On any failure the old folder comes back
and the database is rolled back. A hub path never takes over a local path that came from another source.
"""
import errno
import gzip
import hashlib
import http.client
import json
import os
import re
import shutil
import stat
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from flask import current_app

from lms.catalogue.models import LearningPath
from lms.catalogue.sources import SLUG
from lms.core.database import utcnow
from lms.core.disk import ensure_free_space
from lms.core.files import write_replacing
from lms.extensions import db
from lms.sync import keys
from lms.sync.keys import SyncError
from lms.sync.records import path_versions

COURSE_FORMAT = "lms-sync-course/1"
MAX_COURSE_BYTES = 100 * 1024 * 1024  # a path's files, unpacked, and its archive: SYNC_MAX_COURSE_BYTES
MAX_COURSE_FILES = 5000  # files and folders in one path's archive: SYNC_MAX_COURSE_FILES
CHUNK = 64 * 1024


def limits():
    config = current_app.config
    return (int(config.get("SYNC_MAX_COURSE_BYTES") or MAX_COURSE_BYTES),
            int(config.get("SYNC_MAX_COURSE_FILES") or MAX_COURSE_FILES))


def course_message(hub, centre_id, slug):
    """The text a centre signs to fetch a path's archive: it serves for this hub, centre and path only."""
    return f"{COURSE_FORMAT} {hub} {centre_id} {slug}".encode()


# --- the hub: pack a path's folder --------------------------------------------------------------------------------

def _members(folder):
    """Return [(name in the archive, real file or None for a folder)], sorted; dot files and stray links left out.

    A link is followed only to a plain file or folder inside the path's folder (the importer reads those too).
    """
    root = Path(folder).resolve()
    found = []

    def walk(directory, prefix):
        for entry in sorted(os.scandir(directory), key=lambda e: e.name):
            if entry.name.startswith("."):
                continue  # .git and editors' files: not course content, often large
            name = f"{prefix}{entry.name}"
            try:
                real = Path(entry.path).resolve()
            except (OSError, RuntimeError):  # a loop of links (RuntimeError in Python 3.11): a stray link, left out
                continue
            if not real.is_relative_to(root):
                continue
            if real.is_dir() and not entry.is_symlink():  # a linked folder could loop: left out
                found.append((name, None))
                walk(entry.path, name + "/")
            elif real.is_file():
                found.append((name, real))

    walk(root, "")
    return found


def _fingerprint(slug, folder, members):
    digest = hashlib.sha256(f"{COURSE_FORMAT}|{slug}|{folder}".encode())
    for name, real in members:
        info = real.stat() if real else None
        digest.update(f"|{name}:{info.st_size if info else '-'}:{info.st_mtime_ns if info else '-'}".encode())
    return digest.hexdigest()


def _cache_dir():
    folder = keys.sync_dir() / "course-archives"
    folder.mkdir(exist_ok=True)
    return folder


def archive(slug):
    """Return (archive file, {"sha256", "bytes"}) for a path of this hub, built again only when its files changed.

    Raises SyncError (404 unknown path, 409 folder gone, 413 too large) in words.
    """
    path = db.session.execute(db.select(LearningPath).filter_by(slug=slug, retired_at=None)).scalar_one_or_none()
    if path is None:
        raise SyncError(f"the hub has no path '{slug}'", status=404)
    folder = Path(path.source_dir or "")
    if not path.source_dir or not folder.is_dir():
        raise SyncError(f"the hub no longer has the folder of the path '{slug}' ({path.source_dir}): "
                        "its administrators must import it again", status=409)
    max_bytes, max_files = limits()
    try:
        members = _members(folder)
        size = sum(real.stat().st_size for _name, real in members if real)
    except (OSError, RuntimeError, RecursionError) as error:  # RuntimeError: a loop of links (Python 3.11)
        reason = getattr(error, "strerror", None) or ("folders nested too deep" if isinstance(error, RecursionError)
                                                      else str(error))
        raise SyncError(f"the hub cannot read the folder of the path '{slug}' ({reason})", status=409) from None
    if len(members) > max_files:
        raise SyncError(f"the path '{slug}' has {len(members)} files and folders, more than the "
                        f"{max_files} a centre accepts (SYNC_MAX_COURSE_FILES)", status=413)
    if size > max_bytes:
        raise SyncError(f"the path '{slug}' weighs {size} bytes, more than the {max_bytes} a centre accepts "
                        "(SYNC_MAX_COURSE_BYTES)", status=413)
    try:
        return _cached_or_built(slug, folder, members, max_bytes)
    except OSError as error:  # a file unreadable, gone or moved out of the folder while packing: said, never a 500
        raise SyncError(f"the hub cannot pack the folder of the path '{slug}' ({error.strerror or error}): "
                        "its administrators must check it", status=409) from None


def _cached_or_built(slug, folder, members, max_bytes):
    fingerprint = _fingerprint(slug, folder, members)
    target, about = _cache_dir() / f"{slug}.tar.gz", _cache_dir() / f"{slug}.json"
    try:
        known = json.loads(about.read_text())
        if known.get("fingerprint") == fingerprint and target.stat().st_size == known["bytes"]:
            return target, {"sha256": known["sha256"], "bytes": known["bytes"]}
    except (OSError, ValueError, KeyError, AttributeError):
        pass
    digest, written = _write_archive(members, target, Path(folder).resolve())
    if written > max_bytes:
        target.unlink(missing_ok=True)
        raise SyncError(f"the archive of the path '{slug}' weighs {written} bytes, more than the {max_bytes} a "
                        "centre accepts (SYNC_MAX_COURSE_BYTES)", status=413)
    temporary = about.with_suffix(f".{uuid.uuid4().hex}")
    temporary.write_text(json.dumps({"fingerprint": fingerprint, "sha256": digest, "bytes": written}))
    os.replace(temporary, about)
    return target, {"sha256": digest, "bytes": written}


def _write_archive(members, target, root):
    """Write the members as a .tar.gz with fixed dates, owners and modes; return (sha256, size).

    Each file is checked again once open: a folder swapped for a link between the walk and the packing must not
    put a file from outside the path's folder (the hub's key) in an archive every centre receives.
    """
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}")
    try:
        with open(temporary, "wb") as raw:
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as packed:
                with tarfile.open(fileobj=packed, mode="w", format=tarfile.PAX_FORMAT) as tar:
                    for name, real in members:
                        info = tarfile.TarInfo(name)
                        info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
                        if real is None:
                            info.type, info.mode = tarfile.DIRTYPE, 0o755
                            tar.addfile(info)
                            continue
                        info.mode = 0o644
                        with open(real, "rb") as handle:
                            _still_inside(handle, root, name)
                            info.size = os.fstat(handle.fileno()).st_size
                            tar.addfile(info, handle)
        os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)
    digest = hashlib.sha256()
    with open(target, "rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest(), target.stat().st_size


def _still_inside(handle, root, name):
    """Raise OSError unless the open file lies in `root` (Linux tells where an open file is; elsewhere the walk's
    check stands alone)."""
    try:
        where = Path(os.readlink(f"/proc/self/fd/{handle.fileno()}"))
    except OSError:
        return
    if not where.is_relative_to(root):
        raise OSError(errno.EXDEV, f"{name} left the folder while it was packed")


def hub_paths():
    """What a pull lists: each path's version and its archive's digest (or why the hub cannot send it)."""
    listed = []
    for slug, version in sorted(path_versions().items()):
        entry = {"slug": slug, "version": version}
        try:
            entry["archive"] = archive(slug)[1]
        except (SyncError, OSError) as error:
            entry["problem"] = str(error)[:300]
        listed.append(entry)
    return listed


def check_centre(centre_id, slug, signature):
    """Refuse a fetch that is not signed by a registered, unrevoked centre; return nothing when it is."""
    from lms.sync import inbox

    inbox.signed_centre(centre_id, course_message(inbox.hub_id(), centre_id, slug), signature)


# --- the centre: follow the hub's paths ---------------------------------------------------------------------------

def followed_list():
    """SYNC_FOLLOW_PATHS as a list of path ids, or None for every path of the hub (unset, "all" or "*")."""
    setting = current_app.config.get("SYNC_FOLLOW_PATHS")
    if setting is None or setting in ("all", "*"):
        return None
    if isinstance(setting, str):
        setting = [part.strip() for part in setting.split(",")]
    return [str(slug) for slug in setting or ()]


def followed(slug):
    """Whether this centre takes the hub's versions of the path `slug` (SYNC_FOLLOW_PATHS)."""
    names = followed_list()
    return names is None or slug in names


def hub_courses_dir():
    folder = Path(current_app.instance_path) / "hub-courses"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def installed():
    from lms.sync import outbox

    try:
        value = json.loads(outbox.get_state("hub_courses", "{}"))
    except ValueError:
        value = {}
    return value if isinstance(value, dict) else {}


def follow(fetch, paths, summary):
    """Fetch, check and import each followed hub path this centre lacks or has in another version.

    `fetch(slug, digest)` returns the path's archive as an open file whose digest it checked: downloaded
    (`over_http`) or beside a USB acknowledgement (`from_folder`). Each path stands alone: its failure is
    reported in words and changes nothing; the others go on.
    """
    from lms.sync import outbox

    db.session.commit()
    here, done, results = path_versions(), installed(), []
    for entry in paths:
        if not isinstance(entry, dict) or not isinstance(entry.get("slug"), str) or not SLUG.match(entry["slug"]) \
                or not followed(entry["slug"]):
            continue  # an id this version cannot hold is no path of ours
        slug = entry["slug"]
        digest = (entry.get("archive") or {}).get("sha256") if isinstance(entry.get("archive"), dict) else None
        if here.get(slug) == entry.get("version") or (digest and done.get(slug) == digest):
            continue  # the same texts here, or this very archive already installed
        try:
            if entry.get("problem") or not digest:
                raise SyncError(f"the hub cannot send it: {entry.get('problem') or 'no archive listed'}")
            if not isinstance(entry["archive"].get("bytes"), int) or entry["archive"]["bytes"] > limits()[0]:
                raise SyncError(f"its archive weighs more than the {limits()[0]} bytes this centre accepts "
                                "(SYNC_MAX_COURSE_BYTES): refused")
            ensure_free_space(hub_courses_dir(), entry["archive"]["bytes"])  # the archive; extract checks the rest
            counts = install(fetch, slug, digest)
        except (SyncError, OSError) as error:
            db.session.rollback()
            results.append({"slug": slug, "ok": False, "message": str(error)[:500]})
            continue
        done[slug] = digest
        outbox.set_state("hub_courses", json.dumps(done, sort_keys=True))
        db.session.commit()
        results.append({"slug": slug, "ok": True, **counts})
    if results:
        outbox.set_state("catalogue_results", json.dumps({"at": utcnow().isoformat(), "paths": results}))
        db.session.commit()
    summary["catalogue"] = results
    return results


def over_http(session):
    """The fetch of `follow` for `lms sync now`: each archive downloaded from the hub."""
    return lambda slug, digest: download(session, slug, digest)


def download(session, slug, digest):
    """Fetch the path's archive into a temporary file and check its size and digest; return the open file.

    The archive goes to disk as it arrives, in 64 KB pieces, so a 100 MB path costs a 2 GB board no memory;
    the caller closes the file, which removes it.
    """
    from lms.sync import client

    registration = session.registration
    signature = keys.sign(course_message(registration["hub"], registration["centre_id"], slug))
    headers = {"X-Sync-Centre": registration["centre_id"], "X-Sync-Signature": signature}
    url = f"{session.base}/sync/courses/{urllib.parse.quote(slug)}"
    max_bytes = limits()[0]
    spool = tempfile.TemporaryFile(dir=hub_courses_dir())
    try:
        try:
            if session.transport is client.urllib_transport:
                status, body = _urllib_get(url, headers, max_bytes, spool)
            else:
                status, body = session.transport("GET", url, None, headers, client.TIMEOUT)
                if status == 200:
                    spool.write(body[:max_bytes + 1])
        except (OSError, http.client.HTTPException) as error:
            raise SyncError(f"the hub did not send it ({getattr(error, 'reason', None) or error})") from None
        if status != 200:
            try:
                message = json.loads(body.decode("utf-8"))["errors"][0]["error"]
            except (ValueError, KeyError, IndexError, TypeError, UnicodeDecodeError):
                message = f"HTTP {status}"
            raise SyncError(f"the hub refused to send it: {message}")
        if spool.tell() > max_bytes:
            raise SyncError(f"its archive is larger than {max_bytes} bytes (SYNC_MAX_COURSE_BYTES): refused")
        spool.seek(0)
        if hashlib.file_digest(spool, "sha256").hexdigest() != digest:
            raise SyncError("the archive received does not match the digest the hub signed (damaged or tampered "
                            "on the way): refused, nothing changed")
        spool.seek(0)
        return spool
    except BaseException:
        spool.close()
        raise


def _urllib_get(url, headers, max_bytes, out):
    """GET an archive into `out`, at most max_bytes + 1 of it; an error's body (bounded) is returned instead."""
    from lms.sync import client

    request = urllib.request.Request(url, headers=headers, method="GET")
    try:
        with urllib.request.urlopen(request, timeout=client.TIMEOUT) as response:
            left = max_bytes + 1
            while left > 0 and (piece := response.read(min(left, 64 * 1024))):
                out.write(piece)
                left -= len(piece)
            return response.status, b""
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read(client.MAX_ANSWER)


def archives_folder(ack_path):
    """Where the hub puts the course archives that travel with a USB acknowledgement: beside it."""
    ack_path = Path(ack_path)
    return ack_path.with_name(ack_path.name + ".courses")


def write_archives(folder, paths, versions, follow):
    """At the hub: copy into `folder` the archive of each path the centre follows and has in another version.

    `paths` is the pull's list (with each archive's digest), `versions` the centre's path versions from its
    bundle, `follow` its SYNC_FOLLOW_PATHS (None: all). Archives left by an earlier acknowledgement are
    removed first. Returns the ids of the paths written.
    """
    folder = Path(folder)
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise SyncError(f"{folder} is a link or a file, not a folder: remove it from the stick, then import the "
                        "bundle again")
    if folder.is_dir():
        for old in os.scandir(folder):  # the archives an earlier acknowledgement left; a link is removed, not followed
            if old.name.endswith(".tar.gz") and (old.is_symlink() or old.is_file(follow_symlinks=False)):
                os.unlink(old.path)
    written = []
    for entry in paths:
        slug, about = entry["slug"], entry.get("archive")
        if not about or versions.get(slug) == entry.get("version") or (follow is not None and slug not in follow):
            continue
        source, _about = archive(slug)
        folder.mkdir(parents=True, exist_ok=True)
        with open(source, "rb") as packed:
            write_replacing(folder / f"{slug}.tar.gz", lambda out: shutil.copyfileobj(packed, out))
        written.append(slug)
    return written


def from_folder(folder):
    """The fetch of `follow` for `lms sync import-ack`: each archive from the folder beside the acknowledgement."""
    def fetch(slug, digest):
        path = Path(folder) / f"{slug}.tar.gz"
        if Path(slug).name != slug or slug.startswith(".") or not path.is_file():
            raise SyncError(f"its archive is not beside the acknowledgement ({path}): copy the folder "
                            f"{Path(folder).name}/ from the hub with the acknowledgement, then import it again")
        max_bytes = limits()[0]
        if path.stat().st_size > max_bytes:
            raise SyncError(f"its archive is larger than {max_bytes} bytes (SYNC_MAX_COURSE_BYTES): refused")
        archive_file = open(path, "rb")
        if hashlib.file_digest(archive_file, "sha256").hexdigest() != digest:
            archive_file.close()
            raise SyncError(f"{path.name} does not match the digest the hub signed (damaged, or from another "
                            "acknowledgement): refused, nothing changed")
        archive_file.seek(0)
        return archive_file
    return fetch


def extract(archive_file, target):
    """Unpack an archive (an open binary file) into the new folder `target`, refusing anything a course folder cannot hold.

    Every member is checked before anything is written: a relative name without `..`, a plain file or folder
    (no links, devices or pipes), and the totals under SYNC_MAX_COURSE_BYTES and SYNC_MAX_COURSE_FILES.
    """
    max_bytes, max_files = limits()
    try:
        tar = tarfile.open(fileobj=archive_file, mode="r:gz")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise SyncError(f"its archive cannot be read ({error}): refused") from None
    with tar:
        total, members = 0, []
        try:
            for member in tar:
                name = member.name
                parts = Path(name).parts
                if name.startswith(("/", "\\")) or os.path.isabs(name) or ".." in parts or not parts \
                        or re.match(r"^[A-Za-z]:", name):  # a Windows drive: outside too
                    raise SyncError(f"its archive names a file outside its folder ({name!r}): refused")
                if not (member.isfile() or member.isdir()):
                    raise SyncError(f"its archive holds a link or a device ({name!r}): refused")
                total += member.size
                members.append(member)
                if len(members) > max_files or total > max_bytes:
                    raise SyncError(f"its archive holds more than {max_files} files or {max_bytes} bytes "
                                    "(SYNC_MAX_COURSE_FILES, SYNC_MAX_COURSE_BYTES): refused")
        except (tarfile.TarError, EOFError, OSError) as error:
            raise SyncError(f"its archive is damaged ({error}): refused") from None
        ensure_free_space(target.parent, total)  # refused before a file is written, not half-way
        target.mkdir()
        try:
            for member in members:
                if hasattr(tarfile, "data_filter"):
                    tar.extract(member, target, filter="data")
                else:  # an older Python: the checks above are the filter
                    tar.extract(member, target)
        except (tarfile.TarError, OSError) as error:
            raise SyncError(f"its archive could not be unpacked ({error}): refused") from None
    for item in target.rglob("*"):  # what the data filter would have refused, had it been missing
        mode = item.lstat().st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            raise SyncError(f"its archive holds a link or a device ({item.name!r}): refused")


def install(fetch, slug, digest):
    """Fetch, unpack and import one hub path; on any failure put the old folder back. Return the counts."""
    base = hub_courses_dir()
    target = base / slug
    staging = base / f".incoming-{slug}-{uuid.uuid4().hex[:8]}"
    old = base / f".old-{slug}-{uuid.uuid4().hex[:8]}"
    try:
        with fetch(slug, digest) as archive_file:
            extract(archive_file, staging)
        if target.exists():
            os.replace(target, old)
        os.replace(staging, target)
        try:
            return _import(slug, target)
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            if old.exists():
                os.replace(old, target)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


def _import(slug, folder):
    """Run the normal importer on the unpacked folder under the path's id; commit only when it is clean."""
    from lms.catalogue.importer import commit_import, effective_source, import_courses
    from lms.catalogue.media import media_folder

    app = current_app._get_current_object()
    existing = db.session.execute(db.select(LearningPath).filter_by(slug=slug)).scalar_one_or_none()
    own = existing is not None and Path(existing.source_dir or "/").resolve() == folder.resolve()
    try:
        result = import_courses([folder], media_folder(app), languages=tuple(app.config["LANGUAGES"]),
                                path_id=slug, replace=own)
    except SyncError:
        raise
    except Exception as error:  # a bug of ours: said in words, nothing half done
        db.session.rollback()
        raise SyncError(f"the import stopped on an unexpected problem ({type(error).__name__}: {error})") from None
    if not result.ok:
        db.session.rollback()
        if result.media:
            result.media.discard()
        if existing is not None and any("already used by another source" in p.message for p in result.problems.errors):
            raise SyncError(f"this centre has a path '{slug}' from another source ({effective_source(existing)}): "
                            "the hub's version does not take it over; import yours under another id "
                            "(lms import-courses --as ID), or leave this path out of SYNC_FOLLOW_PATHS")
        first = result.problems.errors[0]
        raise SyncError(f"its files do not import: {first.file}:{first.line or 1}: {first.message}")
    if [p["id"] for p in result.paths] != [slug]:
        db.session.rollback()
        result.media.discard()
        raise SyncError(f"its archive holds the path(s) {', '.join(p['id'] for p in result.paths) or 'none'}, "
                        f"not '{slug}': refused")
    commit_import(result, app)
    return dict(result.summary)


def describe(results):
    """One line per path for `lms sync now`."""
    lines = []
    for item in results:
        if item["ok"]:
            lines.append(f"  path {item['slug']}: installed from the hub ({item['added']} lessons added, "
                         f"{item['updated']} updated, {item['unchanged']} unchanged, {item['retired']} retired)")
        else:
            lines.append(f"  path {item['slug']}: not updated: {item['message']}")
    return "\n".join(lines)


def last_results():
    """The last catalogue run, for the Sync page: {"at": datetime, "paths": [...]}, or None."""
    from datetime import datetime

    from lms.sync import outbox

    try:
        value = json.loads(outbox.get_state("catalogue_results", "null"))
        return value and {"at": datetime.fromisoformat(value["at"]), "paths": value["paths"]}
    except (ValueError, KeyError, TypeError):
        return None
