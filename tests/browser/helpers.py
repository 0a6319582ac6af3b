"""What a learner does on her phone, and what the tests look at in the browser's storage."""
import time

PASSWORD = "une phrase de passe"


def sign_in(page, username):
    """Sign in through the form, then wait until the service worker controls the page."""
    page.goto("/sign-in")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("main form.card button.primary")
    page.wait_for_url(lambda url: "/sign-in" not in url)
    wait_for_worker(page)


def open_menu(page):
    """Open the header's Menu: on a phone the navigation, search, languages and Sign out are behind it (on a wide
    screen the menu is laid out in the header and the button is hidden)."""
    summary = page.locator("header summary")
    if summary.is_visible() and not page.locator("header details.menu").evaluate("menu => menu.open"):
        summary.click()


def wait_for_worker(page):
    """Wait until the service worker controls the page (a page loaded while it installed is not)."""
    page.evaluate("() => navigator.serviceWorker.ready.then(() => null)")
    if not page.evaluate("() => navigator.serviceWorker.controller !== null"):
        page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def wait_until(page, script, arg=None, timeout=15):
    """Evaluate an asynchronous check in the page until it holds (wait_for_function takes a promise for true)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {script}")
        page.wait_for_timeout(100)


def wait_until_saved(page, path):
    """Wait until the service worker kept this page for offline reading."""
    wait_until(page, "url => caches.open('lms-pages').then(c => c.match(new URL(url, location.href).href))"
                     ".then(Boolean)", path)


def queued(page):
    """Return the events waiting on the phone for the signed-in learner of this page."""
    return page.evaluate("""() => lmsStore.getState('user').then(user => lmsStore.pending(user))""")


def wait_until_sent(page):
    wait_until(page, "() => lmsStore.getState('user').then(u => lmsStore.pending(u)).then(e => !e.length)")


def go_offline(context, page=None):
    context.set_offline(True)
    if page:
        page.wait_for_function("() => !navigator.onLine")


def go_online(context, page=None):
    context.set_offline(False)
    if page:
        page.wait_for_function("() => navigator.onLine")


def make_circle(server, trainer, cohort_name, learners):
    """A trainer's new cohort whose learners (usernames) form one circle; return its thread's public id.

    The browser tests share one server, so the people of each story get their own names.
    """
    from lms.accounts import services as accounts
    from lms.cohorts import services as cohorts
    from lms.community import circles, queries
    from lms.extensions import db

    with server.app.app_context():
        made = accounts.create_user(trainer, PASSWORD, roles=("trainer",), display_name=f"{trainer.title()} Ndiaye",
                                    locale="en")
        cohort = cohorts.create_cohort(made, cohort_name, [])
        for name in learners:
            cohorts.join_with_code(accounts.create_user(name, PASSWORD, roles=("learner",),
                                                        display_name=f"{name.title()} Ka", locale="en"),
                                   cohort.join_code)
        [circle] = circles.split_into_circles(made, cohort)
        db.session.commit()
        return queries.circle_thread(circle.id).public_id
