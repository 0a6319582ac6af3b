"""The cohort dashboard at scale: counts, groups by urgency, the grid's pages and names, the chart's axes."""
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from lms.cohorts import services as cohorts
from lms.cohorts.models import Membership
from lms.core.database import utcnow
from lms.extensions import db
from lms.mentoring.models import Submission
from lms.progress.models import LessonProgress
from tests import factories


def days_ago(days):
    return utcnow() - timedelta(days=days)


def active(user, lesson, at, done=True, failed=0, score=None):
    db.session.add(LessonProgress(user_id=user.id, lesson_id=lesson.id, first_opened_at=at, last_opened_at=at,
                                  last_activity_at=at, completed_at=at if done else None, failed_attempts=failed,
                                  attempts=failed, best_score=score))
    db.session.commit()


def joined_long_ago(cohort, days=30):
    db.session.execute(db.update(Membership).where(Membership.cohort_id == cohort.id).values(joined_at=days_ago(days)))
    db.session.commit()


def group(page, kind):
    """Return the names listed in a group, in order."""
    found = re.search(rf'<details class="group" id="group-{kind}">(.*?)</details>', page, re.S)
    assert found, kind
    return re.findall(r'<li><a href="[^"]+">([^<]+)</a>', found.group(1))


def count(page, kind):
    return int(re.search(rf'<summary>[^<]+<span class="count">(\d+)</span></summary>',
                         re.search(rf'id="group-{kind}">(.*?)</details>', page, re.S).group(1)).group(1))


@pytest.fixture
def trio(cohort, learner, trainer, course):
    """Three more learners in Fatou's cohort, without a mentor."""
    people = [factories.user(u, display_name=n) for u, n in
              (("binta", "Binta Sow"), ("coumba", "Coumba Diop"), ("dior", "Dior Fall"))]
    for person in people:
        factories.join(cohort, person)
        cohorts.assign_mentor(trainer, cohort, person, None)  # whatever joining gave her
    joined_long_ago(cohort)
    return people


def test_counts_first_then_groups_sorted_by_urgency(client, cohort, learner, trio, course, sign_in):
    binta, coumba, dior = trio
    stall, prices = course["market-stall"], course["market-prices"]
    active(learner, stall, days_ago(1))  # Mariam: active, has a mentor
    active(binta, stall, days_ago(20))  # quiet for 20 days
    active(coumba, stall, days_ago(9), done=False, failed=2)  # quiet for 9 days, stuck on a check
    active(dior, prices, days_ago(2), done=False, failed=3)  # active 2 days ago, stuck for longer
    for user, days in ((binta, 4), (learner, 10)):
        db.session.add(Submission(user_id=user.id, lesson_id=stall.id, text="x", submitted_at=days_ago(days)))
    db.session.add(Submission(user_id=dior.id, lesson_id=stall.id, text="x", submitted_at=days_ago(1)))  # too recent
    db.session.commit()
    sign_in("fatou")
    page = client.get(f"/cohorts/{cohort.id}/dashboard").get_data(as_text=True)
    assert page.index('class="counts"') < page.index("Needs attention") < page.index('class="chart"') \
        < page.index('class="grid"')
    assert re.search(r"<strong>4</strong> learners", page) and re.search(r"<strong>2</strong> active this week", page)
    assert group(page, "quiet") == ["Binta Sow", "Coumba Diop"]  # the quietest first
    assert group(page, "failing") == ["Coumba Diop", "Dior Fall"]  # stuck the longest first
    assert group(page, "waiting") == ["Mariam Camara", "Binta Sow"]  # waiting the longest first
    assert group(page, "no_mentor") == ["Binta Sow", "Coumba Diop", "Dior Fall"]
    assert (count(page, "quiet"), count(page, "failing"), count(page, "waiting"), count(page, "no_mentor")) == (2, 2, 2, 3)
    assert "<details" in page and "<script>" not in page


def test_a_learner_who_never_started_is_the_quietest(client, cohort, learner, trio, course, sign_in):
    for person in trio:
        active(person, course["market-stall"], days_ago(12))
    sign_in("fatou")
    page = client.get(f"/cohorts/{cohort.id}/dashboard").get_data(as_text=True)
    assert group(page, "quiet")[0] == "Mariam Camara"
    assert re.search(r"Mariam Camara</a> —\s+has not started yet", page)


def test_a_cohort_that_has_not_started_flags_nobody(client, cohort, learner, trio, sign_in):
    cohort.starts_on = date.today() + timedelta(days=3)
    db.session.commit()
    sign_in("fatou")
    page = client.get(f"/cohorts/{cohort.id}/dashboard").get_data(as_text=True)
    assert "nobody is flagged before then" in page
    for kind in ("quiet", "failing", "waiting", "no_mentor"):
        assert count(page, kind) == 0 and group(page, kind) == []


def test_a_learner_is_not_quiet_before_a_week_in_the_cohort(client, cohort, learner, trio, sign_in):
    cohort.starts_on = date.today() - timedelta(days=2)  # joined long ago, but the cohort began two days ago
    db.session.commit()
    sign_in("fatou")
    page = client.get(f"/cohorts/{cohort.id}/dashboard").get_data(as_text=True)
    assert group(page, "quiet") == [] and count(page, "no_mentor") == 3


def test_the_grid_names_its_headers_and_cells(client, cohort, learner, course, sign_in):
    active(learner, course["market-stall"], days_ago(1), score=80)
    active(learner, course["market-prices"], days_ago(1), done=False)
    db.session.add(Submission(user_id=learner.id, lesson_id=course["market-closing"].id, text="x",
                              status="changes_requested"))
    db.session.commit()
    sign_in("fatou")
    page = client.get(f"/cohorts/{cohort.id}/dashboard").get_data(as_text=True)
    assert '<th scope="colgroup" colspan="3" class="path">Selling at the market</th>' in page
    assert '<th scope="col"><abbr title="Lesson 1: Your stall">1</abbr></th>' in page
    assert re.search(r'<th scope="row" class="name"><a href="[^"]+">Mariam Camara</a></th>', page)
    cells = re.findall(r'<td class="([a-z ]+)"><span class="visually-hidden">([^<]+)</span>([^<]*)</td>', page)
    assert cells == [("d", "done, score", " 80"), ("s", "in progress", ""),
                     ("s wc", "in progress, changes requested", "")]
    assert 'class="grid-wrap full-width" role="region"' in page


def test_the_chart_has_labelled_axes_and_its_values_in_text(client, cohort, learner, trio, course, sign_in):
    active(learner, course["market-stall"], days_ago(1))
    sign_in("fatou")
    page = client.get(f"/cohorts/{cohort.id}/dashboard").get_data(as_text=True)
    svg = re.search(r"<svg [^>]*role=\"img\"[^>]*>(.*?)</svg>", page, re.S).group(1)
    assert '<title id="chart-title">Completion per lesson</title>' in svg and "<desc" in svg
    assert svg.count('class="axis"') == 2
    assert [label for label in re.findall(r'class="y-label">(\d+)%</text>', svg)] == ["0", "25", "50", "75", "100"]
    assert re.findall(r'class="x-label">(\d)</text>', svg) == ["1", "2", "3"]
    assert ">Learners</text>" in svg and ">Lessons, by path</text>" in svg
    values = re.search(r'<table class="values">(.*?)</table>', page, re.S).group(1)
    assert re.search(r"Selling at the market · Lesson 1: Your stall</th><td>25%</td>", values)
    assert values.count("<tr>") == 4  # a header and three lessons


@pytest.fixture
def crowd(cohort, course):
    """55 more learners in the cohort (bulk-inserted: the grid is the subject, not sign-up)."""
    from lms.accounts.models import User

    now = utcnow()
    db.session.execute(db.insert(User), [{"username": f"p{i:02d}", "display_name": f"Person {i:02d}",
                                          "password_hash": "x", "created_at": now} for i in range(55)])
    ids = db.session.execute(db.select(User.id).where(User.username.like("p%"))).scalars().all()
    db.session.execute(db.insert(Membership), [{"cohort_id": cohort.id, "user_id": i, "role": "learner",
                                                "joined_at": days_ago(30)} for i in ids])
    db.session.commit()
    return ids


def names_in_grid(page):
    return re.findall(r'<th scope="row" class="name"><a href="[^"]+">([^<]+)</a>', page)


def test_the_grid_is_paginated_filtered_and_sorted_by_get_parameters(client, cohort, learner, crowd, course,
                                                                     sign_in):
    active(learner, course["market-stall"], days_ago(1))
    sign_in("fatou")
    url = f"/cohorts/{cohort.id}/dashboard"
    first = client.get(url).get_data(as_text=True)
    assert len(names_in_grid(first)) == 50 and names_in_grid(first)[0] == "Mariam Camara"
    assert "Learners 1–50 of 56" in first and f'href="{url}?page=2#grid"' in first
    second = client.get(url + "?page=2").get_data(as_text=True)
    assert names_in_grid(second) == [f"Person {i:02d}" for i in range(49, 55)] and "Learners 51–56 of 56" in second
    assert '<a aria-current="page">2</a>' in second
    assert names_in_grid(client.get(url + "?q=person 0").get_data(as_text=True)) == \
        [f"Person {i:02d}" for i in range(10)]
    assert names_in_grid(client.get(url + "?q=CAMARA").get_data(as_text=True)) == ["Mariam Camara"]
    quiet = client.get(url + "?status=quiet").get_data(as_text=True)
    assert "Mariam Camara" not in names_in_grid(quiet) and "of 55" in quiet
    assert names_in_grid(client.get(url + "?sort=progress&page=2").get_data(as_text=True))[-1] == "Mariam Camara"
    assert f'href="{url}?page=2&amp;q=person#grid"' in client.get(url + "?q=person").get_data(as_text=True)
    for odd in ("?page=abc", "?page=-4", "?page=999", "?status=nonsense&sort=%00", "?q=" + "x" * 5000):
        assert client.get(url + odd).status_code == 200, odd


def test_the_query_count_does_not_grow_with_learners(app, client, cohort, learner, course, sign_in):
    sign_in("fatou")
    url = f"/cohorts/{cohort.id}/dashboard"

    def queries():
        counter = []
        listener = lambda *_args: counter.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(counter)

    queries()  # the clock's floor is read once a minute, not per page
    few = queries()
    people = [factories.user(f"q{i}", display_name=f"Q {i}") for i in range(12)]
    for i, person in enumerate(people):
        factories.join(cohort, person)
        active(person, course["market-stall"], days_ago(i), failed=2 if i % 3 else 0, done=bool(i % 2))
        db.session.add(Submission(user_id=person.id, lesson_id=course["market-closing"].id, text="x",
                                  submitted_at=days_ago(i)))
    db.session.commit()
    assert queries() == few
