"""The centre's certificate authority and its server certificate: made on first use, renewed when needed.

Phones install the authority once (it lasts ten years); the server certificate it signs
names every address and name the machine answers on, and is made again, silently, when
they change or when it nears its end. Browsers refuse leaves valid for more than 398 days.
"""
import datetime
import ipaddress
import os

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from lms.site.store import tls_files  # noqa: F401  (callers find the files here too)

CA_DAYS = 3652
LEAF_DAYS = 397
RENEW_WITHIN_DAYS = 30
BACKDATE = datetime.timedelta(days=1)  # a phone whose clock is a little behind still accepts it


def ensure_authority(files, name, now=None):
    """Return (certificate, key) of the centre's authority, creating it when missing or expired."""
    now = now or _now()
    if files.ca_cert.exists() and files.ca_key.exists():
        certificate = x509.load_pem_x509_certificate(files.ca_cert.read_bytes())
        if certificate.not_valid_after_utc > now:
            key = serialization.load_pem_private_key(files.ca_key.read_bytes(), password=None)
            return certificate, key
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, name[:64]),
                         x509.NameAttribute(NameOID.COMMON_NAME, f"{name} (local)"[:64])])
    public = key.public_key()
    certificate = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE).not_valid_after(now - BACKDATE + datetime.timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256()))
    _write(files.ca_key, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()), private=True)
    _write(files.ca_cert, certificate.public_bytes(serialization.Encoding.PEM))
    files.cert.unlink(missing_ok=True)  # signed by the old authority
    return certificate, key


def ensure_server_certificate(files, name, names, addresses, now=None):
    """Make the server certificate unless the current one is signed by the authority, names exactly
    these names and addresses, and has more than RENEW_WITHIN_DAYS left. Return True when it was made."""
    now = now or _now()
    authority, authority_key = ensure_authority(files, name, now)
    wanted = _alternative_names(names, addresses)
    if files.cert.exists() and files.key.exists():
        current = x509.load_pem_x509_certificate(files.cert.read_bytes())
        if (current.issuer == authority.subject and _signed_by(current, authority)
                and set(_names_of(current)) == set(wanted)
                and current.not_valid_after_utc - now > datetime.timedelta(days=RENEW_WITHIN_DAYS)):
            return False
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key()
    common_name = (list(names) + [str(a) for a in addresses] + ["localhost"])[0]
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64])]))
        .issuer_name(authority.subject).public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE).not_valid_after(now - BACKDATE + datetime.timedelta(days=LEAF_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName(wanted), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(authority_key.public_key()),
                       critical=False)
        .sign(authority_key, hashes.SHA256()))
    _write(files.key, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption()), private=True)
    _write(files.cert, certificate.public_bytes(serialization.Encoding.PEM))
    return True


def _alternative_names(names, addresses):
    general = [x509.DNSName(n) for n in dict.fromkeys(n.lower() for n in names if n)]
    general += [x509.IPAddress(ipaddress.ip_address(a)) for a in dict.fromkeys(str(a) for a in addresses)]
    return general


def _names_of(certificate):
    try:
        return list(certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value)
    except x509.ExtensionNotFound:
        return []


def _signed_by(certificate, authority):
    try:
        certificate.verify_directly_issued_by(authority)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def _write(path, data, private=False):
    """Write a file whole (a reader never sees half of it); private files are readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(path.name + ".tmp")
    temporary.unlink(missing_ok=True)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(temporary, path)


def _now():
    """The trusted clock: a Pi that forgot the time must not sign a certificate valid from 1970."""
    from lms.core.clock import trusted_now

    return trusted_now().replace(tzinfo=datetime.timezone.utc)
