"""Offline: a path downloaded as one self-contained file, and the endpoint its progress comes back to.

The service worker, the manifest and the offline page live in `lms.web.offline`.
"""


def init_app(app):
    from lms.extensions import csrf
    from lms.offline import hooks, views  # noqa: F401  (hooks connect on import)

    csrf.exempt(views.receive_progress)  # the file's signed token is the authority: see its docstring
    app.register_blueprint(views.bp)
