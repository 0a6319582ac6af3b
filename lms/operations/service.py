"""Run the platform as a systemd service, and say how it is doing (`lms status`)."""
import getpass
import os
import shlex
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

from flask import current_app

from lms.core.disk import free_bytes, megabytes
from lms.operations import backup

UNIT_PATH = Path("/etc/systemd/system/lms.service")
RUN = subprocess.run  # tests never start or enable anything


def lms_executable():
    """Return the `lms` command of this installation (the one in the virtual environment)."""
    here = Path(sys.executable).parent / "lms"
    return str(here if here.exists() else shutil.which("lms") or here)


def render_unit(user, working_directory, host, port, https_port=None, threads=8, instance_path=None,
                executable=None):
    """Return the text of a systemd unit that serves the platform and restarts it when it stops."""
    command = [executable or lms_executable(), "serve", "--host", host, "--port", str(port),
               "--threads", str(threads)]
    if https_port:
        command += ["--https-port", str(https_port)]
    served = f"http port {port}" + (f", https port {https_port}" if https_port else "")
    lines = [
        "[Unit]",
        f"Description=lms learning platform ({served} on {host})",
        "After=network-online.target time-sync.target",
        "Wants=network-online.target",
        "",
        "[Service]",
        "Type=simple",
        f"User={user}",
        f"WorkingDirectory={working_directory}",
    ]
    if instance_path:
        lines.append(f"Environment=LMS_INSTANCE_PATH={instance_path}")
    lines += [
        f"ExecStart={shlex.join(command)}",
        "Restart=always",
        "RestartSec=5",
    ]
    if min(port, int(https_port or port)) < 1024:
        lines.append("AmbientCapabilities=CAP_NET_BIND_SERVICE")  # ports 80 and 443 without running as root
    lines += ["", "[Install]", "WantedBy=multi-user.target", ""]
    return "\n".join(lines)


def systemd_running():
    """Tell whether this machine is run by systemd (not a container or another init)."""
    return Path("/run/systemd/system").is_dir() and shutil.which("systemctl") is not None


def can_install():
    return hasattr(os, "geteuid") and os.geteuid() == 0 and systemd_running()


def install_unit(text, path=UNIT_PATH):
    """Write the unit, reload systemd, enable and (re)start the service; return the commands run."""
    path.write_text(text)
    commands = [["systemctl", "daemon-reload"], ["systemctl", "enable", "--now", path.stem],
                ["systemctl", "restart", path.stem]]
    for command in commands:
        done = RUN(command, capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            raise OSError(f"{shlex.join(command)} failed: {done.stderr.strip()}")
    return commands


def default_user():
    """The account that should run the service: the one who invoked sudo, else the current one."""
    return os.environ.get("SUDO_USER") or getpass.getuser()


def service_state(name="lms"):
    """Return systemd's word for the service ("active", "inactive", ...), or None without systemd."""
    if not systemd_running():
        return None
    done = RUN(["systemctl", "is-active", name], capture_output=True, text=True, timeout=10)
    return done.stdout.strip() or None


def answers(url, timeout=2):
    """Tell whether the platform answers its health check at this base URL (loopback only)."""
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/healthz", timeout=timeout) as response:  # noqa: S310
            return response.status == 200
    except OSError:
        return False


def status(host="127.0.0.1", port=5000, https_port=None):
    """Gather what `lms status` prints: service, addresses, database, index, disk space, last backup."""
    from lms.search import storage
    from lms.site.addresses import listening_urls

    app = current_app._get_current_object()
    https_port = https_port or app.config.get("HTTPS_PORT")
    urls = listening_urls("http", host, port) + (listening_urls("https", host, https_port) if https_port else [])
    kind = backup.database_kind(app)
    if kind == "sqlite":
        path = backup.sqlite_path(app)
        database = f"SQLite {path} ({megabytes(path.stat().st_size) if path.exists() else 0} MB)"
    else:
        url = backup.pg_connection(app)[0]
        database = f"PostgreSQL {url}"
    try:
        index = storage.status(storage.search_folder(app), app.config["LANGUAGES"])
        index_text = f"{index.state}: {index.detail}"
    except Exception as error:  # a status report never raises
        index_text = f"unknown ({error.__class__.__name__})"
    latest = backup.latest_backup(app)
    local = f"http://127.0.0.1:{port}/"
    return {
        "service": service_state(),
        "answering": answers(local),
        "local_url": local,
        "addresses": urls,
        "database": database,
        "search_index": index_text,
        "instance": app.instance_path,
        "free_mb": megabytes(free_bytes(app.instance_path)),
        "last_backup": latest,
        "backup_folder": str(backup.backup_folder(app)),
    }
