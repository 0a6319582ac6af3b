"""Attendance where trainers and learners look: the cohort dashboard and the learner's progress page."""
from datetime import timedelta

from sqlalchemy import event

from lms.cohorts import sessions
from lms.core.database import utcnow
from lms.extensions import db
from tests import factories


def held(trainer, cohort, topic, days_ago, present):
    session = sessions.create_session(trainer, cohort, utcnow() - timedelta(days=days_ago), topic)
    sessions.take_attendance(trainer, session, [user.id for user in present])
    return session


def test_the_dashboard_counts_sessions_attended_per_learner(client, sign_in, cohort, trainer, learner):
    other = factories.user("aicha", display_name="Aicha Diop")
    factories.join(cohort, other)
    held(trainer, cohort, "Prix", 9, [learner, other])
    held(trainer, cohort, "Stock", 2, [other])
    sessions.create_session(trainer, cohort, utcnow() + timedelta(days=5), "Caisse")  # not held yet: not counted
    db.session.commit()
    sign_in("fatou")
    page = client.get(f"/cohorts/{cohort.id}/dashboard").get_data(as_text=True)
    assert "Sessions attended, of those whose attendance was taken" in page
    mariam_row = page.split(f'/learners/{learner.id}/progress">')[1].split("</tr>")[0]
    aicha_row = page.split(f'/learners/{other.id}/progress">')[1].split("</tr>")[0]
    assert "<td>1/2</td>" in mariam_row and "<td>2/2</td>" in aicha_row


def test_no_attendance_column_before_any_register(client, sign_in, cohort, learner):
    sign_in("fatou")
    assert "Sessions attended" not in client.get(f"/cohorts/{cohort.id}/dashboard").get_data(as_text=True)


def test_the_attendance_count_costs_the_same_queries_for_more_learners(client, sign_in, cohort, trainer, learner):
    held(trainer, cohort, "Prix", 3, [learner])
    db.session.commit()
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

    queries()
    few = queries()
    people = [factories.user(f"q{i}", display_name=f"Q {i}") for i in range(12)]
    for person in people:
        factories.join(cohort, person)
    held(trainer, cohort, "Stock", 1, people[::2])
    db.session.commit()
    assert queries() == few


def test_her_progress_page_shows_her_attendance_to_her_and_her_trainer(client, sign_in, cohort, trainer, learner):
    held(trainer, cohort, "Fixer ses prix", 9, [learner])
    held(trainer, cohort, "Tenir son stock", 2, [])
    db.session.commit()
    for who, url in (("mariam", "/my-learning"), ("fatou", f"/learners/{learner.id}/progress")):
        sign_in(who)
        page = client.get(url).get_data(as_text=True)
        assert "Present at 1 session of 2" in page, who
        assert "Fixer ses prix" in page and "Tenir son stock" in page
        client.post("/sign-out")


def test_no_sessions_no_attendance_section(client, sign_in, cohort, learner):
    sign_in("mariam")
    assert 'id="attendance"' not in client.get("/my-learning").get_data(as_text=True)
