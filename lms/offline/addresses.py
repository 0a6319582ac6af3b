"""Where the downloaded file sends progress: the server's address as phones reach it."""
from flask import request, url_for


def server_address():
    """Return the server's address as phones reach it, ending with "/"."""
    return request.host_url


def progress_address():
    """Return the absolute address the file's form posts to (the file is opened from file://, so no relative one)."""
    return server_address().rstrip("/") + url_for("offline.receive_progress")
