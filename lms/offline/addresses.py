"""Where the downloaded file sends progress: the server's address as phones reach it."""
from lms.site.addresses import phone_url


def progress_address():
    """Return the absolute address the file's form posts to (the file is opened from file://, so no relative one).

    The centre's address for phones (SITE_URL, else the address she browses with, else
    a LAN address instead of loopback); from the centre's HTTPS port it is the plain-HTTP
    one, which a phone reaches without trusting any certificate.
    """
    return phone_url("offline.receive_progress")
