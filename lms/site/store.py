"""Where the centre's certificate files live: found without loading cryptography (16 MB) into the server."""
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Files:
    """Where the authority and the server certificate live, in instance/tls/."""

    folder: Path

    @property
    def ca_cert(self):
        return self.folder / "ca.crt"

    @property
    def ca_key(self):
        return self.folder / "ca.key"

    @property
    def cert(self):
        return self.folder / "server.crt"

    @property
    def key(self):
        return self.folder / "server.key"


def tls_files(instance_path):
    """Return the Files of a site's instance folder."""
    return Files(Path(instance_path) / "tls")
