"""The centre's addresses: those the machine answers on, and the one printed or shown for phones."""
import ipaddress
import socket
from urllib.parse import urlsplit

from flask import current_app, request, url_for
from flask_babel import gettext as _

# connect() on a UDP socket only picks the route and the local address: no packet is sent,
# so this works offline. One probe per private range, since a centre's router may use any.
PROBES_V4 = ("192.168.255.255", "10.255.255.255", "172.31.255.255")
PROBE_V6 = "fd00::1"
LOOPBACK_NAMES = ("localhost",)
DEFAULT_PORTS = {"http": 80, "https": 443}


def lan_addresses():
    """Return the machine's addresses on its local networks, IPv4 first, without sending a packet."""
    found = []
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, proto=socket.IPPROTO_TCP)
    except OSError:
        infos = []
    candidates = [info[4][0] for info in infos]
    for family, probes in ((socket.AF_INET, PROBES_V4), (socket.AF_INET6, (PROBE_V6,))):
        for probe in probes:
            try:
                with socket.socket(family, socket.SOCK_DGRAM) as probe_socket:
                    probe_socket.connect((probe, 9))
                    candidates.append(probe_socket.getsockname()[0])
            except OSError:
                continue
    for candidate in candidates:
        try:
            address = ipaddress.ip_address(candidate.split("%")[0])
        except ValueError:
            continue
        # Link-local addresses need a zone in a URL, which phones cannot type.
        if address.is_loopback or address.is_unspecified or address.is_link_local or address.is_multicast:
            continue
        if str(address) not in found:
            found.append(str(address))
    return sorted(found, key=lambda text: ":" in text)


def is_loopback(host):
    """Tell whether a host name or address only ever means this machine."""
    host = (host or "").strip("[]").lower()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_wildcard(host):
    """Tell whether a bind address means every interface (0.0.0.0, ::, or empty)."""
    return host in ("", "0.0.0.0", "::", "*")


def origin(scheme, host, port=None):
    """Return scheme://host[:port], with brackets around an IPv6 address and no default port."""
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    if port and int(port) != DEFAULT_PORTS.get(scheme):
        return f"{scheme}://{host}:{port}"
    return f"{scheme}://{host}"


def base_url_for_phones():
    """Return (base URL, warning) for links printed or shown for phones, in a request context.

    SITE_URL wins. Otherwise the address the trainer is browsing with, unless it only means
    her own machine (127.0.0.0/8, ::1, localhost): then the machine's first LAN address with
    the same port, or a warning when there is none. A page browsed on the centre's own HTTPS
    port prints the plain-HTTP address, which every phone opens before it trusts the centre.
    """
    configured = current_app.config.get("SITE_URL")
    if configured:
        return configured.rstrip("/"), None
    parts = urlsplit("//" + request.host)
    scheme, host, port = request.scheme, parts.hostname or "", parts.port
    http_port = current_app.config.get("HTTP_PORT")
    https_port = current_app.config.get("HTTPS_PORT")
    if scheme == "https" and http_port and https_port and (port or 443) == int(https_port):
        scheme, port = "http", http_port
    warning = None
    if is_loopback(host):
        lan = lan_addresses()
        if lan:
            host = lan[0]
        else:
            warning = _("This computer is not connected to a local network: phones cannot open %(url)s. "
                        "Connect it to the centre's Wi-Fi, or set SITE_URL.", url=origin(scheme, host, port))
    if warning is None and not reachable_from_network():
        warning = _("This server only answers on this computer. Start it with --host 0.0.0.0 "
                    "(make run HOST=0.0.0.0) so that phones can reach it.")
    return origin(scheme, host, port) + request.script_root, warning


def https_base_url_for_phones():
    """Return (base URL, warning) of the centre's HTTPS address for phones, or (None, None) without HTTPS."""
    configured = current_app.config.get("SITE_URL") or ""
    if configured.startswith("https://"):
        return configured.rstrip("/"), None
    https_port = current_app.config.get("HTTPS_PORT")
    if not https_port:
        return None, None
    base, warning = base_url_for_phones()
    parts = urlsplit(base)
    return origin("https", parts.hostname, https_port) + parts.path, warning


def reachable_from_network():
    """Tell whether `lms serve` listens beyond this machine (True when it is not the one serving)."""
    bound = current_app.config.get("SERVE_HOST")
    return bound is None or not is_loopback(bound)


def phone_url(endpoint, **values):
    """Return the full URL of a page for a phone, built on base_url_for_phones()."""
    base, _warning = base_url_for_phones()
    return base + url_for(endpoint, **values)[len(request.script_root):]


def server_identities(bind_host=""):
    """Return (names, addresses) the server answers on, for its certificate: LAN and loopback, and SITE_URL's host."""
    hostname = socket.gethostname()
    names = [hostname, hostname.split(".")[0] + ".local", "localhost"]
    addresses = lan_addresses() + ["127.0.0.1", "::1"]
    extra = [urlsplit(current_app.config.get("SITE_URL") or "").hostname]
    if not is_wildcard(bind_host):
        extra.append(bind_host.strip("[]"))
    for host in filter(None, extra):
        try:
            addresses.append(str(ipaddress.ip_address(host)))
        except ValueError:
            names.append(host.lower())
    return list(dict.fromkeys(names)), list(dict.fromkeys(addresses))


def listening_urls(scheme, bind_host, port):
    """Return every URL `lms serve` answers on for one port, the one for phones first."""
    configured = current_app.config.get("SITE_URL")
    if is_wildcard(bind_host):
        hosts = lan_addresses() + [socket.gethostname().split(".")[0] + ".local", "127.0.0.1"]
    else:
        hosts = [bind_host.strip("[]")]
    urls = [origin(scheme, host, port) + "/" for host in hosts]
    if configured and urlsplit(configured).scheme == scheme:
        urls.insert(0, configured.rstrip("/") + "/")
    return list(dict.fromkeys(urls))
