"""The address printed or shown for phones: one rule, in base_url_for_phones()."""
import socket

import pytest

from lms.site import addresses


@pytest.fixture
def lan(monkeypatch):
    """The machine's LAN addresses, as the test sets them (no interface is read)."""
    found = ["192.168.1.10", "fd00::10"]
    monkeypatch.setattr(addresses, "lan_addresses", lambda: list(found))
    return found


def phone_base(app, url, **config):
    app.config.update(config)
    with app.test_request_context("/cohorts/1/sheet", base_url=url, headers={"Accept-Language": "en"}):
        return addresses.base_url_for_phones()


def test_site_url_wins(app, lan):
    assert phone_base(app, "http://127.0.0.1:5000", SITE_URL="http://lms.centre/") == ("http://lms.centre", None)


def test_a_lan_address_the_trainer_browses_with_is_kept(app, lan):
    assert phone_base(app, "http://192.168.1.23:8080") == ("http://192.168.1.23:8080", None)
    assert phone_base(app, "http://centre-pc.local") == ("http://centre-pc.local", None)


@pytest.mark.parametrize("url", ["http://127.0.0.1:5000", "http://localhost:5000", "http://[::1]:5000",
                                 "http://127.0.1.1:5000"])
def test_a_loopback_address_is_replaced_by_the_first_lan_address_with_its_port(app, lan, url):
    assert phone_base(app, url) == ("http://192.168.1.10:5000", None)


def test_an_ipv6_lan_address_gets_brackets(app, lan):
    lan[:] = ["fd00::10"]
    assert phone_base(app, "http://localhost")[0] == "http://[fd00::10]"


def test_without_a_lan_address_the_page_warns(app, lan):
    lan.clear()
    base, warning = phone_base(app, "http://127.0.0.1:5000")
    assert base == "http://127.0.0.1:5000"
    assert "phones cannot open http://127.0.0.1:5000" in warning


def test_a_server_that_answers_only_on_loopback_warns(app, lan):
    base, warning = phone_base(app, "http://127.0.0.1:5000", SERVE_HOST="127.0.0.1")
    assert base == "http://192.168.1.10:5000"
    assert "--host 0.0.0.0" in warning
    assert phone_base(app, "http://127.0.0.1:5000", SERVE_HOST="0.0.0.0") == ("http://192.168.1.10:5000", None)


def test_a_page_on_the_centres_https_port_prints_the_plain_address_every_phone_opens(app, lan):
    config = {"HTTP_PORT": 8080, "HTTPS_PORT": 8443}
    assert phone_base(app, "https://192.168.1.10:8443", **config) == ("http://192.168.1.10:8080", None)
    assert phone_base(app, "https://lms.example.org", **config) == ("https://lms.example.org", None)


def test_the_https_address_follows_the_same_rule(app, lan):
    app.config.update(HTTPS_PORT=8443)
    with app.test_request_context("/", base_url="http://127.0.0.1:5000"):
        assert addresses.https_base_url_for_phones() == ("https://192.168.1.10:8443", None)
    app.config.update(SITE_URL="http://lms.centre:5000")
    with app.test_request_context("/", base_url="http://127.0.0.1:5000"):
        assert addresses.https_base_url_for_phones() == ("https://lms.centre:8443", None)
    app.config.update(SITE_URL="https://lms.example.org", HTTPS_PORT=None)
    with app.test_request_context("/"):
        assert addresses.https_base_url_for_phones() == ("https://lms.example.org", None)


def test_without_https_there_is_no_https_address(app, lan):
    with app.test_request_context("/"):
        assert addresses.https_base_url_for_phones() == (None, None)


def test_phone_urls_are_built_on_the_base(app, lan):
    with app.test_request_context("/", base_url="http://localhost:5000"):
        assert addresses.phone_url("progress.verify", code="AB12-CD34") == "http://192.168.1.10:5000/verify/AB12-CD34"


def test_lan_addresses_are_read_without_loopback_or_link_local(monkeypatch):
    """Only the machine's own tables are read: getaddrinfo of its name, and a UDP socket that never sends."""
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.1.1", 0)),
        (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("fe80::1%eth0", 0, 0, 2)),
        (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("fd00::10", 0, 0, 0)),
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.168.1.10", 0))])

    class Probe:
        def __init__(self, family, kind):
            self.family = family

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def connect(self, address):
            if self.family == socket.AF_INET6:
                raise OSError("no IPv6 route")

        def getsockname(self):
            return ("10.0.0.5", 40000)

    monkeypatch.setattr(socket, "socket", Probe)
    assert addresses.lan_addresses() == ["192.168.1.10", "10.0.0.5", "fd00::10"]


def test_the_certificate_names_the_machine_and_site_url(app, lan, monkeypatch):
    monkeypatch.setattr(socket, "gethostname", lambda: "centre-pc")
    app.config.update(SITE_URL="http://lms.centre:5000")
    with app.app_context():
        names, found = addresses.server_identities("0.0.0.0")
    assert names == ["centre-pc", "centre-pc.local", "localhost", "lms.centre"]
    assert found == ["192.168.1.10", "fd00::10", "127.0.0.1", "::1"]
