"""Page weight: bytes transferred for the first and the repeat visit of the home page, a path page
and a lesson page, for a visitor and a signed-in learner, with and without save-data, measured in
Debian's Chromium through the DevTools protocol (Network.loadingFinished encodedDataLength) on the
page and on its service worker, whose own downloads (its script, the app shell) count too.

Budgets for a lesson page, images excluded: first visit <= 30 KB, repeat visit <= 5 KB.
Run: .venv/bin/python benchmarks/bench_weight.py [--verbose]  (temporary instance, loopback only;
--verbose lists every request)
"""
import json
import sys
import tempfile
import time
from pathlib import Path

from _server import ROOT, Server, lms

sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from lms import create_app  # noqa: E402
from lms.accounts.models import User  # noqa: E402
from lms.extensions import db  # noqa: E402
from tests import course_tree  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PASSWORD = "une phrase de passe"
PAGES = [("home", "/"), ("path", "/paths/website"), ("lesson", "/lessons/website-domain"),
         ("lesson with an image", "/lessons/market-stall")]
FIRST_BUDGET, REPEAT_BUDGET = 30 * 1024, 5 * 1024
VERBOSE = "--verbose" in sys.argv  # list every request


class Traffic:
    """Bytes received per request, from the page's DevTools session and its service worker's."""

    def __init__(self):
        self.requests = {}  # (session, request id) -> [url, mime type, from service worker, bytes]

    def on_message(self, session, message):
        method, params = message.get("method"), message.get("params", {})
        key = (session, params.get("requestId"))
        if method == "Network.responseReceived":
            response = params["response"]
            self.requests[key] = [response["url"], response.get("mimeType", ""),
                                  response.get("fromServiceWorker", False), 0]
        elif method == "Network.loadingFinished" and key in self.requests:
            self.requests[key][3] = params["encodedDataLength"]

    def take(self):
        """Return (all bytes, bytes of lesson images) since the last call, and start again."""
        total = images = 0
        for url, mime, from_worker, size in self.requests.values():
            if VERBOSE:
                print(f"    {size:6d} {'(worker) ' if from_worker else ''}{url}")
            if from_worker:
                continue  # served by the worker: its own download, if any, is counted on its session
            total += size
            if mime.startswith("image/") and "/static/icons/" not in url:
                images += size
        self.requests.clear()
        return total, images


def watch(cdp, traffic, save_data):
    """Count the page's downloads, and its service worker's from its first request (it waits for us)."""
    counter = iter(range(1, 10**9))

    def send(target, method, params=None):
        cdp.send("Target.sendMessageToTarget", {"sessionId": target, "message": json.dumps(
            {"id": next(counter), "method": method, "params": params or {}})})

    def attached(event):
        target = event["sessionId"]
        if event["targetInfo"]["type"] == "service_worker":
            send(target, "Network.enable")
            if save_data:
                send(target, "Network.setExtraHTTPHeaders", {"headers": {"Save-Data": "on"}})
        send(target, "Runtime.runIfWaitingForDebugger")

    for method in ("Network.responseReceived", "Network.loadingFinished"):
        cdp.on(method, lambda params, method=method: traffic.on_message("page", {"method": method, "params": params}))
    cdp.on("Target.attachedToTarget", attached)
    cdp.on("Target.receivedMessageFromTarget",
           lambda event: traffic.on_message(event["sessionId"], json.loads(event["message"])))
    cdp.send("Network.enable")
    cdp.send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": False})


def settle(page):
    page.wait_for_load_state("networkidle")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => null)")
    page.wait_for_timeout(700)


def measure(browser, base, path, username, save_data):
    """Return ((first, first images), (repeat, repeat images)) in bytes, on a phone that never came before."""
    traffic = Traffic()
    context = browser.new_context(base_url=base, locale="fr-FR",
                                  extra_http_headers={"Save-Data": "on"} if save_data and not username else {})
    try:
        if username:  # signed in without loading any page, so that the first visit starts cold
            token_page = context.request.get("/sign-in").text()
            token = token_page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
            context.request.post("/sign-in", form={"username": username, "password": PASSWORD, "csrf_token": token},
                                 max_redirects=0)
        page = context.new_page()
        watch(context.new_cdp_session(page), traffic, save_data and not username)
        page.goto(path)
        settle(page)
        first = traffic.take()
        page.goto(path)
        settle(page)
        repeat = traffic.take()
        return first, repeat
    finally:
        context.close()


def kb(size):
    return f"{size / 1024:5.1f}"


def main():
    if not Path(CHROMIUM).exists():
        sys.exit(f"Debian's Chromium is needed at {CHROMIUM} (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp)
        lms(instance, "init")
        lms(instance, "import-courses", str(ROOT / "courses"))
        lms(instance, "import-courses", str(course_tree.native_tree(instance / "extra")))
        lms(instance, "create-user", "amina", "--role", "admin", "--password-stdin", input=PASSWORD + "\n")
        lms(instance, "create-user", "mariam", "--password-stdin", input=PASSWORD + "\n")
        lms(instance, "create-user", "awa", "--password-stdin", input=PASSWORD + "\n")
        with create_app(instance_path=str(instance)).app_context():
            db.session.execute(db.update(User).where(User.username == "awa").values(save_data=True))
            db.session.commit()

        server = Server(instance, threads=4)
        try:
            server.wait_ready()
            print("bytes transferred (KB), images apart; budgets for a lesson page, images excluded: "
                  f"first visit <= {FIRST_BUDGET // 1024} KB, repeat visit <= {REPEAT_BUDGET // 1024} KB")
            print(f"{'page':22} {'who':9} {'save-data':9} {'first':>6} {'images':>6} {'repeat':>6} {'images':>6}  budget")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                over = []
                for label, path in PAGES:
                    for who, username_for in (("visitor", lambda sd: None), ("learner", lambda sd: "awa" if sd else "mariam")):
                        for save_data in (False, True):
                            started = time.perf_counter()
                            (first, first_images), (repeat, repeat_images) = measure(
                                browser, server.base, path, username_for(save_data), save_data)
                            verdict = ""
                            if label.startswith("lesson"):
                                ok = first - first_images <= FIRST_BUDGET and repeat - repeat_images <= REPEAT_BUDGET
                                verdict = "OK" if ok else "OVER BUDGET"
                                if not ok:
                                    over.append((label, who, save_data))
                            print(f"{label:22} {who:9} {'on' if save_data else 'off':9} {kb(first - first_images):>6} "
                                  f"{kb(first_images):>6} {kb(repeat - repeat_images):>6} {kb(repeat_images):>6}  "
                                  f"{verdict} ({time.perf_counter() - started:.1f} s)")
                browser.close()
            print("all lesson pages within budget" if not over else f"{len(over)} lesson measurements over budget")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
