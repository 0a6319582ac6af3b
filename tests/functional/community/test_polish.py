"""Finishing touches: older posts of a thread, links from the cohort page, the weekly-pairs command."""
import uuid
from datetime import datetime, timedelta

from lms.community.models import Post
from lms.extensions import db
from tests.functional.community.conftest import thread_of


def write_posts(thread, author, count):
    start = datetime(2026, 1, 5, 8, 0)
    for number in range(count):
        db.session.add(Post(public_id=str(uuid.uuid4()), thread_id=thread.id, author_id=author.id,
                            body=f"message {number:03d}", body_html=f"<p>message {number:03d}</p>",
                            created_at=start + timedelta(minutes=number)))
    db.session.commit()


def test_a_long_thread_links_to_its_older_posts(client, sign_in, two_cohorts, learner):
    thread = thread_of(learner)
    write_posts(thread, learner, 120)
    sign_in("mariam")
    page = client.get(f"/community/threads/{thread.public_id}").get_data(as_text=True)
    assert "message 119" in page and "message 070" in page and "message 069" not in page
    assert "Older posts" in page and "Latest posts" not in page
    older = page.split('class="pager"><a href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get(older).get_data(as_text=True)
    assert "message 069" in second and "message 020" in second
    assert "message 070" not in second and "message 019" not in second
    assert "Older posts" in second and "Latest posts" in second
    oldest = second.split('class="pager"><a href="')[1].split('"')[0].replace("&amp;", "&")
    third = client.get(oldest).get_data(as_text=True)
    assert "message 000" in third and "message 019" in third and "message 020" not in third
    assert "Older posts" not in third


def test_a_short_thread_has_no_pager_and_a_stale_mark_shows_the_latest(client, sign_in, two_cohorts, learner):
    thread = thread_of(learner)
    write_posts(thread, learner, 3)
    sign_in("mariam")
    page = client.get(f"/community/threads/{thread.public_id}").get_data(as_text=True)
    assert "Older posts" not in page and "message 002" in page
    stale = client.get(f"/community/threads/{thread.public_id}?before=not-a-post")
    assert stale.status_code == 200 and "message 000" in stale.get_data(as_text=True)


def pairs_of(cohort):
    from lms.community.models import Circle, Pair

    return db.session.execute(db.select(Pair).join(Circle).where(Circle.cohort_id == cohort.id)).scalars().all()


def test_the_daily_command_pairs_every_circle_once_a_week(runner, two_cohorts):
    first = runner.invoke(args=["community", "make-pairs", "--day", "2026-03-04"])
    assert first.exit_code == 0, first.output
    made = {cohort: len(pairs_of(cohort)) for cohort in (two_cohorts["cohort"], two_cohorts["other"])}
    assert all(made.values())
    assert "pairs for the week of 2026-03-02" in first.output
    again = runner.invoke(args=["community", "make-pairs", "--day", "2026-03-08"])  # Sunday of the same week
    assert again.exit_code == 0 and "0 new pairs" in again.output
    assert {cohort: len(pairs_of(cohort)) for cohort in made} == made
    weeks = {pair.week_of.isoformat() for pair in pairs_of(two_cohorts["cohort"])}
    assert weeks == {"2026-03-02"}
    runner.invoke(args=["community", "make-pairs", "--day", "2026-03-09"])
    weeks = {pair.week_of.isoformat() for pair in pairs_of(two_cohorts["cohort"])}
    assert weeks == {"2026-03-02", "2026-03-09"}


def test_the_command_refuses_a_bad_day_and_changes_nothing(runner, two_cohorts):
    result = runner.invoke(args=["community", "make-pairs", "--day", "next monday"])
    assert result.exit_code == 1 and "make-pairs:1: --day must be a date" in result.output
    assert "Traceback" not in result.output
    assert not pairs_of(two_cohorts["cohort"])


def test_the_cohort_page_links_to_its_sessions_and_circles(client, sign_in, two_cohorts):
    cohort = two_cohorts["cohort"]
    sign_in("fatou")
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    for link in (f'href="/cohorts/{cohort.id}/sessions"', f'href="/community/cohorts/{cohort.id}/circles"'):
        assert link in page
        assert client.get(link[6:-1]).status_code == 200
