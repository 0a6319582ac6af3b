"""The centre's certificate authority and server certificate: made once, trusted by browsers, renewed when needed."""
import datetime
import ipaddress
import stat

import pytest
from cryptography import x509

from lms.site import tls

NAMES = ["centre", "centre.local", "localhost"]
ADDRESSES = ["192.168.1.10", "127.0.0.1", "::1"]
NOW = datetime.datetime(2025, 3, 1, 12, tzinfo=datetime.timezone.utc)


@pytest.fixture
def files(tmp_path):
    return tls.tls_files(tmp_path)


def load(path):
    return x509.load_pem_x509_certificate(path.read_bytes())


def alternative_names(certificate):
    names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return set(names.get_values_for_type(x509.DNSName)), {str(a) for a in names.get_values_for_type(x509.IPAddress)}


def test_first_use_makes_a_ten_year_authority_whose_key_only_the_owner_reads(files):
    assert tls.ensure_server_certificate(files, "Centre de Thiès", NAMES, ADDRESSES, now=NOW)
    authority = load(files.ca_cert)
    lifetime = authority.not_valid_after_utc - authority.not_valid_before_utc
    assert 3650 <= lifetime.days <= 3653
    assert authority.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert authority.extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign
    assert "Centre de Thiès" in authority.subject.rfc4514_string()
    for key in (files.ca_key, files.key):
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(files.folder.stat().st_mode) == 0o700


def test_the_server_certificate_names_every_address_is_signed_by_the_authority_and_lasts_397_days(files):
    tls.ensure_server_certificate(files, "Centre", NAMES, ADDRESSES, now=NOW)
    authority, leaf = load(files.ca_cert), load(files.cert)
    leaf.verify_directly_issued_by(authority)  # raises unless the authority's key signed it
    assert alternative_names(leaf) == (set(NAMES), set(ADDRESSES))
    lifetime = leaf.not_valid_after_utc - leaf.not_valid_before_utc
    assert lifetime <= datetime.timedelta(days=398) and lifetime.days == 397
    assert leaf.not_valid_before_utc <= NOW
    assert not leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    usage = leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert x509.oid.ExtendedKeyUsageOID.SERVER_AUTH in usage


def test_an_unchanged_certificate_is_kept(files):
    tls.ensure_server_certificate(files, "Centre", NAMES, ADDRESSES, now=NOW)
    before = files.cert.read_bytes(), files.ca_cert.read_bytes()
    later = NOW + datetime.timedelta(days=200)
    assert not tls.ensure_server_certificate(files, "Centre", list(reversed(NAMES)), ADDRESSES, now=later)
    assert (files.cert.read_bytes(), files.ca_cert.read_bytes()) == before


def test_a_new_address_renews_the_certificate_but_keeps_the_authority(files):
    tls.ensure_server_certificate(files, "Centre", NAMES, ADDRESSES, now=NOW)
    authority = files.ca_cert.read_bytes()
    moved = ["192.168.0.42", "127.0.0.1", "::1"]
    assert tls.ensure_server_certificate(files, "Centre", NAMES, moved, now=NOW + datetime.timedelta(hours=1))
    assert files.ca_cert.read_bytes() == authority
    leaf = load(files.cert)
    assert alternative_names(leaf)[1] == set(moved)
    assert ipaddress.ip_address("192.168.1.10") not in leaf.extensions.get_extension_for_class(
        x509.SubjectAlternativeName).value.get_values_for_type(x509.IPAddress)
    leaf.verify_directly_issued_by(load(files.ca_cert))


def test_a_certificate_near_its_end_is_renewed_within_30_days(files):
    tls.ensure_server_certificate(files, "Centre", NAMES, ADDRESSES, now=NOW)
    first = load(files.cert)
    assert not tls.ensure_server_certificate(files, "Centre", NAMES, ADDRESSES,
                                             now=first.not_valid_after_utc - datetime.timedelta(days=31))
    near = first.not_valid_after_utc - datetime.timedelta(days=29)
    assert tls.ensure_server_certificate(files, "Centre", NAMES, ADDRESSES, now=near)
    assert load(files.cert).not_valid_after_utc > near + datetime.timedelta(days=390)


def test_a_certificate_from_another_authority_is_replaced(files, tmp_path):
    tls.ensure_server_certificate(files, "Centre", NAMES, ADDRESSES, now=NOW)
    other = tls.tls_files(tmp_path / "other")
    tls.ensure_server_certificate(other, "Centre", NAMES, ADDRESSES, now=NOW)
    files.cert.write_bytes(other.cert.read_bytes())
    files.key.write_bytes(other.key.read_bytes())
    assert tls.ensure_server_certificate(files, "Centre", NAMES, ADDRESSES, now=NOW)
    load(files.cert).verify_directly_issued_by(load(files.ca_cert))
