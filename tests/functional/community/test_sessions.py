"""Sessions and attendance: the register for 40 in one submit, check-in by code, the CSV."""
import re
from datetime import timedelta

from lms.cohorts import sessions
from lms.cohorts.sessions_models import Attendance
from lms.core.database import utcnow
from lms.extensions import db
from tests import factories


def test_attendance_for_40_learners_in_one_submit(client, sign_in, cohort, trainer):
    learners = [factories.user(f"l{i:02d}", display_name=f"Learner {i:02d}") for i in range(39)]
    for learner in learners:
        factories.join(cohort, learner)
    session = sessions.create_session(trainer, cohort, utcnow(), "Prix")
    db.session.commit()
    sign_in("fatou")
    page = client.get(f"/cohorts/{cohort.id}/sessions/{session.id}").get_data(as_text=True)
    ticked = re.findall(r'name="present" value="(\d+)" checked', page)
    assert len(ticked) == 40  # everyone present by default
    absent = {str(learners[0].id), str(learners[1].id)}
    response = client.submit(f"/cohorts/{cohort.id}/sessions/{session.id}",
                             {"present": [i for i in ticked if i not in absent]})
    assert response.status_code == 302
    rows = db.session.execute(db.select(Attendance).filter_by(session_id=session.id)).scalars().all()
    assert len(rows) == 40
    assert {str(r.user_id) for r in rows if not r.present} == absent
    csv = client.get(f"/cohorts/{cohort.id}/attendance.csv").get_data(as_text=True)
    assert csv.count("absent") == 2 and csv.count("present") >= 38


def test_a_learner_checks_in_with_the_code_and_the_register_keeps_her(client, sign_in, cohort, trainer, learner):
    session = sessions.create_session(trainer, cohort, utcnow() + timedelta(minutes=30), "Prix", "Médina")
    db.session.commit()
    sign_in("mariam")
    response = client.submit("/check-in", {"code": session.check_in_code.lower()})
    assert response.status_code == 302
    sessions.take_attendance(trainer, session, [])  # the trainer unticked everyone: she was there anyway
    db.session.commit()
    row = db.session.execute(db.select(Attendance).filter_by(session_id=session.id, user_id=learner.id)).scalar_one()
    assert row.present and row.source == "code"
    assert "present" in client.get("/check-in").get_data(as_text=True)


def test_a_code_of_another_cohort_or_a_closed_session_is_refused(client, sign_in, cohort, trainer, learner):
    other_trainer = factories.user("ramata", roles=("trainer",))
    other = factories.cohort(other_trainer, name="Thiès")
    theirs = sessions.create_session(other_trainer, other, utcnow(), "Autre")
    old = sessions.create_session(trainer, cohort, utcnow() - timedelta(days=3), "Ancienne")
    db.session.commit()
    sign_in("mariam")
    assert "No session of your cohort has this code" in client.submit(
        "/check-in", {"code": theirs.check_in_code}).get_data(as_text=True)
    assert "Check-in is open" in client.submit("/check-in", {"code": old.check_in_code}).get_data(as_text=True)
    assert db.session.execute(db.select(Attendance)).first() is None


def test_a_trainer_cannot_mark_someone_outside_her_cohort(client, sign_in, cohort, trainer):
    stranger = factories.user("zeina")
    session = sessions.create_session(trainer, cohort, utcnow(), "Prix")
    db.session.commit()
    sign_in("fatou")
    response = client.submit(f"/cohorts/{cohort.id}/sessions/{session.id}", {"present": [str(stranger.id)]})
    assert response.status_code == 200 and "not part of the cohort" in response.get_data(as_text=True)
    assert db.session.execute(db.select(Attendance)).first() is None


def test_the_register_of_a_session_days_ahead_cannot_be_taken(client, sign_in, cohort, trainer, learner):
    later = sessions.create_session(trainer, cohort, utcnow() + timedelta(days=3), "Prix")
    db.session.commit()
    sign_in("fatou")
    page = client.get(f"/cohorts/{cohort.id}/sessions/{later.id}").get_data(as_text=True)
    assert "This session has not started yet: the register opens two hours before it." in page
    assert 'name="present"' not in page  # no one shown present before the day
    response = client.submit(f"/cohorts/{cohort.id}/sessions/{later.id}", {"present": [str(learner.id)]},
                             follow_redirects=True)
    assert "This session has not started yet" in response.get_data(as_text=True)
    assert db.session.execute(db.select(Attendance).filter_by(session_id=later.id)).first() is None
    soon = sessions.create_session(trainer, cohort, utcnow() + timedelta(hours=1), "Caisse")
    db.session.commit()
    assert 'name="present"' in client.get(f"/cohorts/{cohort.id}/sessions/{soon.id}").get_data(as_text=True)
