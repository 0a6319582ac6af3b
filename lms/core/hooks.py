"""Let higher layers add to a lower layer's pages without the lower layer importing them."""
from blinker import Namespace

_signals = Namespace()

# Sent while a page is rendered, with the endpoint name as sender and the page's
# objects as keyword arguments; each receiver returns a dict of extra template
# context (or None). Lists under the key "panels" are concatenated.
page_context = _signals.signal("page-context")


def collect_page_context(endpoint, **objects):
    """Return the context that receivers of page_context add for this page."""
    context = {"panels": []}
    for _receiver, extra in page_context.send(endpoint, **objects):
        if not extra:
            continue
        context["panels"] += extra.pop("panels", [])
        context.update(extra)
    return context
