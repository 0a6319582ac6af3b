"""The centre's own HTTPS beside plain HTTP: cheroot on another port, and what `lms serve` prints."""
import threading

import click

from lms.site import addresses

RENEWAL_CHECK_SECONDS = 3600  # addresses change when the router hands out new ones


def certificate_for(app, bind_host):
    """Make sure the server certificate names what this machine answers on now; return (files, renewed)."""
    from lms.site import tls  # only with --https-port: cryptography weighs 16 MB

    files = tls.tls_files(app.instance_path)
    with app.app_context():
        names, found = addresses.server_identities(bind_host)
        renewed = tls.ensure_server_certificate(files, app.config["SITE_NAME"], names, found)  # trusted clock
    return files, renewed


class HttpsServer:
    """cheroot serving the app over TLS in background threads, re-reading its certificate when renewed."""

    def __init__(self, app, host, port, threads):
        from cheroot import wsgi
        from cheroot.ssl.builtin import BuiltinSSLAdapter

        self.app, self.host = app, host
        files, _renewed = certificate_for(app, host)
        self.adapter = BuiltinSSLAdapter(str(files.cert), str(files.key))
        self.server = wsgi.Server((host, port), app, numthreads=threads, server_name="lms")
        self.server.ssl_adapter = self.adapter
        self._stopped = threading.Event()

    def start(self):
        """Bind the port (failing here if it is taken), then serve and watch the certificate in the background."""
        self.server.prepare()
        threading.Thread(target=self.server.serve, name="lms-https", daemon=True).start()
        threading.Thread(target=self._renew, name="lms-https-renewal", daemon=True).start()

    def stop(self):
        self._stopped.set()
        self.server.stop()

    def _renew(self):
        while not self._stopped.wait(RENEWAL_CHECK_SECONDS):
            try:
                files, renewed = certificate_for(self.app, self.host)
            except OSError as error:
                click.echo(f"HTTPS certificate not renewed: {error}", err=True)
                continue
            if renewed:
                # New connections get the new certificate; open ones keep theirs.
                self.adapter.context.load_cert_chain(str(files.cert), str(files.key))


def announce(app, host, port, https_port):
    """Print every address the server answers on, and a QR code of the one for phones."""
    with app.app_context():
        plain = addresses.listening_urls("http", host, port)
        secure = addresses.listening_urls("https", host, https_port) if https_port else []
    for url in plain + secure:
        click.echo(f"  {url}")
    if addresses.is_loopback(host):
        click.echo("only this computer can open it: use --host 0.0.0.0 to serve the local network")
    import segno

    segno.make(plain[0], error="m").terminal(compact=True)
    if https_port:
        click.echo(f"phones that trust the centre open {secure[0]}; "
                   f"its certificate authority: {plain[0]}ca.crt")
