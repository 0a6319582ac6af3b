"""A phone learns to trust the centre: the certificate authority, the page that explains it, and printed addresses."""
import re

import pytest
from cryptography import x509

from lms.site import addresses, tls


@pytest.fixture(autouse=True)
def lan(monkeypatch):
    monkeypatch.setattr(addresses, "lan_addresses", lambda: ["192.168.1.10"])


@pytest.fixture
def https(app):
    """The centre serves HTTPS on 8443: its authority exists, as `lms serve --https-port 8443` leaves it."""
    app.config.update(HTTPS_PORT=8443, HTTP_PORT=5000)
    files = tls.tls_files(app.instance_path)
    tls.ensure_server_certificate(files, "Centre", ["localhost"], ["127.0.0.1"])
    return files


def test_the_authority_is_served_for_phones_to_install(client, admin, https):
    response = client.get("/ca.crt")
    assert response.status_code == 200
    assert response.mimetype == "application/x-x509-ca-cert"
    certificate = x509.load_pem_x509_certificate(response.data)
    assert certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert b"PRIVATE KEY" not in response.data


def test_without_an_authority_there_is_nothing_to_download(client, admin):
    assert client.get("/ca.crt").status_code == 404


def test_the_page_explains_each_browser_and_points_to_the_secure_address(client, admin, https):
    response = client.get("/keep-lessons", base_url="http://127.0.0.1:5000")
    page = response.get_data(as_text=True)
    assert "Chrome on Android" in page and "Samsung Internet" in page and "Firefox does not use" in page
    assert "network may be monitored" in page
    assert 'href="/ca.crt"' in page
    assert "https://192.168.1.10:8443/" in page and "<svg" in page
    assert 'data-probe="https://192.168.1.10:8443/trust-check.gif"' in page
    policy = response.headers["Content-Security-Policy"]
    assert "img-src 'self' data: https://192.168.1.10:8443;" in policy
    assert policy.count("https://") == 1  # only images, and only from this origin


def test_the_trust_check_is_never_kept(client, admin):
    response = client.get("/trust-check.gif")
    assert response.mimetype == "image/gif" and "no-store" in response.headers["Cache-Control"]


def test_without_https_the_page_says_what_the_admin_should_run(client, admin):
    page = client.get("/keep-lessons").get_data(as_text=True)
    assert "does not offer a secure address yet" in page
    assert "lms serve --host 0.0.0.0 --https-port 8443" in page
    assert "trust-check" not in page
    assert client.get("/keep-lessons").headers["Content-Security-Policy"].count("https://") == 0


def test_trainers_get_a_printable_page_for_their_class(client, trainer, sign_in, https):
    sign_in("fatou")
    page = client.get("/keep-lessons").get_data(as_text=True)
    assert 'href="/keep-lessons/sheet"' in page
    sheet = client.get("/keep-lessons/sheet", base_url="http://127.0.0.1:5000").get_data(as_text=True)
    assert sheet.count('<div class="qr"><svg') == 2
    assert "http://192.168.1.10:5000/ca.crt" in sheet and "https://192.168.1.10:8443/" in sheet


def test_the_sign_up_sheet_prints_the_lan_address_and_the_wifi_name(app, client, cohort, sign_in):
    app.config["WIFI_NAME"] = "Centre-Invités"
    sign_in("fatou")
    page = client.get(f"/cohorts/{cohort.id}/sheet", base_url="http://localhost:5000").get_data(as_text=True)
    assert f"http://192.168.1.10:5000/join/{cohort.join_code}" in page
    assert "Centre-Invités" in page
    assert 'href="/keep-lessons"' in page
    assert "localhost" not in re.sub(r"<[^>]+>", "", page)


def test_the_cohort_page_warns_when_phones_cannot_reach_the_address(monkeypatch, client, cohort, sign_in):
    monkeypatch.setattr(addresses, "lan_addresses", lambda: [])
    sign_in("fatou")
    page = client.get(f"/cohorts/{cohort.id}", base_url="http://localhost:5000").get_data(as_text=True)
    assert "phones cannot open http://localhost:5000" in page


def test_the_path_page_and_the_offline_page_lead_to_it(client, course):
    for url in ("/paths/market", "/offline"):
        assert 'href="/keep-lessons"' in client.get(url).get_data(as_text=True)


def test_behind_a_proxy_with_its_own_certificate_there_is_nothing_to_install(app, client, admin):
    app.config["SITE_URL"] = "https://lms.example.org"
    page = client.get("/keep-lessons").get_data(as_text=True)
    assert "https://lms.example.org/" in page
    assert "/ca.crt" not in page and "Install a certificate" not in page
