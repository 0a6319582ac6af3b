"""Let higher layers add to a lower layer's pages without the lower layer importing them."""
from blinker import Namespace

_signals = Namespace()

# Sent while a page is rendered, with the endpoint name as sender and the page's
# objects as keyword arguments; each receiver returns a dict of extra template
# context (or None). Lists under the keys "panels" and "step_panels" are concatenated
# (a lesson read in steps shows its panels on the last step, its step_panels on every step).
page_context = _signals.signal("page-context")


def collect_page_context(endpoint, **objects):
    """Return the context that receivers of page_context add for this page."""
    context = {"panels": [], "step_panels": []}
    for _receiver, extra in page_context.send(endpoint, **objects):
        if not extra:
            continue
        context["panels"] += extra.pop("panels", [])
        context["step_panels"] += extra.pop("step_panels", [])
        context.update(extra)
    return context
