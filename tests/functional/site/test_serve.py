"""`lms serve` tells the trainer where phones find the centre, and refuses a taken HTTPS port clearly."""
import socket

import pytest

from lms.site import addresses, server


@pytest.fixture(autouse=True)
def lan(monkeypatch):
    monkeypatch.setattr(addresses, "lan_addresses", lambda: ["192.168.1.10"])
    monkeypatch.setattr(socket, "gethostname", lambda: "centre-pc")


def test_serve_prints_every_address_and_a_qr_code_of_the_one_for_phones(app, capsys):
    server.announce(app, "0.0.0.0", 8080, 8443)
    printed = capsys.readouterr().out
    lines = [line.strip() for line in printed.splitlines()]
    assert lines[:6] == ["http://192.168.1.10:8080/", "http://centre-pc.local:8080/", "http://127.0.0.1:8080/",
                         "https://192.168.1.10:8443/", "https://centre-pc.local:8443/", "https://127.0.0.1:8443/"]
    assert "█" in printed  # the QR code
    assert "http://192.168.1.10:8080/ca.crt" in printed


def test_site_url_comes_first(app, capsys):
    app.config["SITE_URL"] = "http://lms.centre:8080"
    server.announce(app, "0.0.0.0", 8080, None)
    assert capsys.readouterr().out.splitlines()[0].strip() == "http://lms.centre:8080/"


def test_a_taken_https_port_is_a_clear_error(runner, app):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(args=["serve", "--host", "127.0.0.1", "--port", "0", "--https-port", str(port)])
    assert result.exit_code == 1
    assert f"cannot serve HTTPS on 127.0.0.1:{port}" in result.output
    assert "Traceback" not in result.output
