"""Community pages on a small phone: no sideways scroll at 360 px, at 320 px and with text at 200 %; tap targets of
at least 44 x 44 px; repeated buttons (Report, Hide, Helpful, Move…) each named after their post or member."""
import pytest

from lms.accounts import services as accounts
from lms.cohorts import services as cohorts
from lms.cohorts import sessions
from lms.community import circles, conversations, queries
from lms.core.database import utcnow
from lms.extensions import db
from tests.browser.helpers import PASSWORD, sign_in
from tests.browser.test_crawl import SIDEWAYS, TAP_TARGETS

pytestmark = pytest.mark.browser
SAME_NAMES = """() => {
  const seen = {}, twice = [];
  for (const el of document.querySelectorAll('main button, main a[href], main summary')) {
    if (!el.getBoundingClientRect().width && !el.closest('details')) continue;
    const name = (el.getAttribute('aria-label') || el.textContent).replace(/\\s+/g, ' ').trim();
    const where = el.closest('form') ? el.closest('form').getAttribute('action') : el.getAttribute('href');
    if (seen[name] !== undefined && seen[name] !== where) twice.push(name);
    seen[name] = where;
  }
  return twice;
}"""
# The header is the crawl's (tests/browser/test_crawl.py); here only what the community pages put in <main>.
MAIN_TAP_TARGETS = TAP_TARGETS.replace(", '\n      + 'header a[href], header button, header input, header select, header summary'", "'")
OPEN_DETAILS = "() => document.querySelectorAll('main details').forEach(d => d.open = true)"


@pytest.fixture
def community(server):
    """A cohort in one circle with a busy thread, a session; return the pages of a learner and of her trainer."""
    with server.app.app_context():
        known = accounts.get_user_by_username("lina")  # the server is shared by the tests of this module
        if known is None:
            trainer = accounts.create_user("sira", PASSWORD, roles=("trainer",), display_name="Sira Kouyaté",
                                           locale="en")
            cohort = cohorts.create_cohort(trainer, "Layout test with a rather long cohort name", [])
            people = [accounts.create_user(name, PASSWORD, roles=("learner",), locale="en",
                                           display_name=f"{name.title()} Kouyaté-Traoré")
                      for name in ("lina", "maty", "nabou", "oumy", "rokhaya", "safi")]
            for person in people:
                cohorts.join_with_code(person, cohort.join_code)
            [circle] = circles.split_into_circles(trainer, cohort)
            thread = queries.circle_thread(circle.id)
            for number, person in enumerate(people):
                conversations.add_post(person, thread, f"Message {number}: https://example.org/"
                                       + "un-lien-tres-long-sans-espace" * 4 + " **gras**")
            circles.make_week_pairs(trainer, cohort)
            sessions.create_session(trainer, cohort, utcnow(), "Fixer ses prix au marché", "Salle 2")
            db.session.commit()
            known = people[0]
        membership = circles.current_membership(known.id)
        thread = queries.circle_thread(membership.circle_id).public_id
        cohort_id = membership.circle.cohort_id
        cohort_thread = queries.cohort_thread(cohort_id)
    learner_pages = ["/community", f"/community/threads/{thread}", "/community/circle", "/community/directory",
                     "/community/directory/me", "/community/whats-new", "/check-in", "/my-learning"]
    if cohort_thread is not None:
        learner_pages.append(f"/community/threads/{cohort_thread.public_id}")
    trainer_pages = ["/community", f"/community/threads/{thread}", f"/community/cohorts/{cohort_id}/circles",
                     f"/cohorts/{cohort_id}/sessions", f"/cohorts/{cohort_id}"]
    return {"lina": learner_pages, "sira": trainer_pages}


@pytest.mark.parametrize("width,zoom", [(360, 1), (320, 1), (360, 2)])
def test_community_pages_fit_a_small_phone(browser, server, community, width, zoom):
    problems = []
    for who, pages in community.items():
        context = browser.new_context(base_url=server.base, viewport={"width": width, "height": 740})
        page = context.new_page()
        sign_in(page, who)
        for url in pages:
            response = page.goto(url)
            assert response.status < 400, (who, url, response.status)
            if zoom != 1:
                page.evaluate("z => document.documentElement.style.fontSize = (100 * z) + '%'", zoom)
            page.evaluate(OPEN_DETAILS)
            wide = page.evaluate(SIDEWAYS)
            if wide:
                problems.append(f"{who} {url}: {wide}")
            problems += [f"{who} {url}: small {s}" for s in page.evaluate(MAIN_TAP_TARGETS)]
            problems += [f"{who} {url}: unnamed repeat {name!r}" for name in set(page.evaluate(SAME_NAMES))]
        context.close()
    assert not problems, "\n".join(problems)
