"""A server whose clock went back to 1970 at a power cut: nothing is dated 1970, and the admin can set it."""
from datetime import datetime

import pytest

from lms.core import clock as core_clock
from lms.extensions import db
from lms.operations import clock
from lms.progress.models import Certificate, ProgressEvent
from tests.functional.progress.test_certificates import approve_practical_work, complete_everything

POWER_CUT = datetime(1970, 1, 1, 0, 3)


@pytest.fixture
def clock_reset(monkeypatch):
    """The machine restarted without a clock battery: its clock reads 1970."""
    monkeypatch.setattr("lms.core.clock.utcnow", lambda: POWER_CUT)
    monkeypatch.setattr("lms.operations.views.utcnow", lambda: POWER_CUT)
    core_clock.forget_floor()


@pytest.fixture
def commands(monkeypatch):
    """Record the commands the server would run; never touch the real clock."""
    ran = []

    class Done:
        returncode, stdout, stderr = 0, "", ""

    monkeypatch.setattr(clock, "RUN", lambda command, **_kw: ran.append(command) or Done())
    return ran


def test_trusted_now_never_goes_before_this_release_or_what_the_server_recorded(app, clock_reset):
    assert core_clock.trusted_now() >= core_clock.release_date()
    assert core_clock.clock_problem() == ("before_release", core_clock.release_date())


def test_a_clock_behind_the_newest_event_is_noticed(app, learner, course, monkeypatch):
    db.session.add(ProgressEvent(id="0d6f2a4e-8a31-4f0e-9a3c-3f1d5b7a1c01", user_id=learner.id,
                                 lesson_id=course["market-closing"].id, type="lesson_opened",
                                 occurred_at=datetime(2027, 3, 1, 9), received_at=datetime(2027, 3, 1, 9)))
    db.session.commit()
    monkeypatch.setattr("lms.core.clock.utcnow", lambda: datetime(2027, 2, 1))
    core_clock.forget_floor()
    assert core_clock.clock_problem() == ("behind_records", datetime(2027, 3, 1, 9))
    assert core_clock.trusted_now() == datetime(2027, 3, 1, 9)


def test_certificates_and_events_are_not_dated_1970(client, learner, mentor, trainer, sign_in, course, clock_reset):
    approve_practical_work(learner, mentor, trainer, course)
    sign_in("mariam")
    complete_everything(client)
    db.session.rollback()
    certificate = db.session.execute(db.select(Certificate)).scalar_one()
    assert certificate.issued_at.year >= 2026 and certificate.completed_at.year == 2026
    for occurred, received in db.session.execute(db.select(ProgressEvent.occurred_at, ProgressEvent.received_at)):
        assert occurred.year == 2026 and received >= core_clock.release_date()


def test_the_form_buttons_of_a_lesson_still_work_with_the_clock_in_1970(client, learner, sign_in, course,
                                                                         clock_reset):
    sign_in("mariam")
    html = client.get("/lessons/market-closing").get_data(as_text=True)
    assert "market-closing" in html
    assert db.session.execute(db.select(ProgressEvent.occurred_at)).scalars().all() != []
    assert all(at.year >= 2026 for at in db.session.execute(db.select(ProgressEvent.occurred_at)).scalars())


def test_admins_see_the_banner_with_a_set_the_clock_form_and_learners_do_not(client, admin, learner, sign_in,
                                                                             clock_reset):
    sign_in("amina")
    html = client.get("/admin/users").get_data(as_text=True)
    assert "This server&#39;s clock is wrong" in html or "This server's clock is wrong" in html
    assert 'name="clock-moment"' in html and "js/clock" in html
    client.submit("/sign-out")
    sign_in("mariam")
    assert "clock is wrong" not in client.get("/").get_data(as_text=True)


def test_no_banner_when_the_clock_is_right(client, admin, sign_in):
    sign_in("amina")
    assert "clock is wrong" not in client.get("/admin/users").get_data(as_text=True)


def test_without_the_right_to_set_it_the_page_gives_the_command(client, admin, sign_in, clock_reset, commands,
                                                                monkeypatch):
    monkeypatch.setattr("lms.operations.clock.os.geteuid", lambda: 1000)
    sign_in("amina")
    response = client.submit("/admin/clock", {"clock-moment": "2026-12-02T09:30", "clock-offset": "-60"})
    html = response.get_data(as_text=True)
    assert "sudo date -u -s &#39;2026-12-02 08:30:00&#39;" in html or "sudo date -u -s '2026-12-02 08:30:00'" in html
    assert commands == []


def test_as_root_the_form_sets_the_clock_with_the_phones_time(client, admin, sign_in, clock_reset, commands,
                                                               monkeypatch):
    monkeypatch.setattr("lms.operations.clock.os.geteuid", lambda: 0)
    sign_in("amina")
    response = client.submit("/admin/clock", {"clock-moment": "2026-12-02T09:30", "clock-offset": "-60"},
                             follow_redirects=True)
    assert "The clock is set." in response.get_data(as_text=True)
    assert commands[0] == ["date", "-u", "-s", "2026-12-02 08:30:00"]


def test_without_javascript_the_typed_time_is_read_in_the_sites_time_zone(app):
    app.config["BABEL_DEFAULT_TIMEZONE"] = "Africa/Kigali"  # UTC+2
    assert clock.to_utc("2026-12-02 09:30") == datetime(2026, 12, 2, 7, 30)


def test_an_implausible_time_is_refused_with_a_message(client, admin, sign_in, clock_reset, commands):
    sign_in("amina")
    html = client.submit("/admin/clock", {"clock-moment": "1970-01-01T00:10"}).get_data(as_text=True)
    assert "before this version of the platform was made" in html
    html = client.submit("/admin/clock", {"clock-moment": "yesterday"}).get_data(as_text=True)
    assert "Type the date and time as" in html
    assert commands == []


def test_only_admins_may_set_the_clock(client, learner, sign_in, commands):
    sign_in("mariam")
    response = client.submit("/admin/clock", {"clock-moment": "2026-12-02T09:30"})
    assert response.status_code in (302, 403)
    assert commands == []
