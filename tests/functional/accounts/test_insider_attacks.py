"""Attacks by insiders — a hostile trainer, a hostile learner, a copied cookie — that must fail."""
import re
import threading

import pytest

from lms.accounts.models import OneTimeCode, SignInThrottle, UserSession
from lms.cohorts import services as cohorts
from lms.cohorts.models import Cohort, Invitation
from lms.extensions import db
from tests import factories
from tests.conftest import reset_database


def fresh(app, address="127.0.0.1"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def signed_in(app, username, password=factories.PASSWORD, address="127.0.0.1", **extra):
    client = fresh(app, address)
    response = client.submit("/sign-in", {"username": username, "password": password, **extra})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


# 1. A trainer never becomes admin through her cohort.

def test_a_trainer_cannot_put_the_administrator_in_her_cohort_nor_get_her_a_pin(app, cohort, trainer, admin):
    fatou = signed_in(app, "fatou")
    page = fatou.submit(f"/cohorts/{cohort.id}/members", {"username": "amina", "role": "learner"},
                        follow_redirects=True).get_data(as_text=True)
    assert "is invited" in page
    assert cohorts.membership(cohort, admin) is None  # an invitation, not a membership
    sheet = fatou.submit(f"/cohorts/{cohort.id}/pins", {"valid_days": "7"}).get_data(as_text=True)
    assert "Amina" not in sheet and "Mariam Camara" in sheet

    # Even when the admin herself joins a PIN cohort, she gets no PIN, and a PIN never opens her account.
    cohorts.join_with_code(admin, cohort.join_code)
    db.session.commit()
    sheet = fatou.submit(f"/cohorts/{cohort.id}/pins", {"valid_days": "7"}).get_data(as_text=True)
    assert "Amina" not in sheet
    member = cohorts.membership(cohort, admin)
    from lms.accounts.services import hash_password
    member.pin_hash = hash_password("1234")  # as if planted in the database
    db.session.commit()
    response = fresh(app).submit(f"/c/{cohort.join_code}/pin", {"learner": admin.id, "pin": "1234"})
    assert response.status_code == 200 and "Wrong PIN" in response.get_data(as_text=True)


def test_a_pin_session_opens_learning_only(app, cohort, trainer, learner):
    fatou = signed_in(app, "fatou")
    sheet = fatou.submit(f"/cohorts/{cohort.id}/pins", {"valid_days": "1"}).get_data(as_text=True)
    pin = re.search(r'Mariam Camara</strong><br>PIN: <strong class="code">(\d{4})<', sheet).group(1)
    shared = fresh(app)
    assert shared.submit(f"/c/{cohort.join_code}/pin", {"learner": learner.id, "pin": pin}).status_code == 302
    assert shared.get("/").status_code == 200
    session = db.session.execute(db.select(UserSession).filter_by(user_id=learner.id)).scalar_one()
    assert session.kind == "pin"
    # She was given the trainer role later: the PIN session still opens no role page.
    from lms.accounts.models import UserRole
    learner.role_rows.append(UserRole(role="trainer"))
    db.session.commit()
    assert shared.get("/cohorts").status_code in (302, 403)


def test_a_pin_sheet_can_expire(app, cohort, trainer, learner):
    fatou = signed_in(app, "fatou")
    sheet = fatou.submit(f"/cohorts/{cohort.id}/pins", {"valid_days": "1"}).get_data(as_text=True)
    assert "These PINs work until" in sheet
    pin = re.search(r'<strong class="code">(\d{4})<', sheet).group(1)
    from datetime import timedelta
    member = cohorts.membership(cohort, learner)
    member.pin_expires_at = member.pin_expires_at - timedelta(days=2)
    db.session.commit()
    shared = fresh(app)
    response = shared.submit(f"/c/{cohort.join_code}/pin", {"learner": learner.id, "pin": pin})
    assert response.status_code == 200 and shared.get("/account").status_code == 302


# 2. A trainer never takes over a learner who is not hers.

def test_a_trainer_cannot_take_over_another_cohorts_learner(app, trainer, course):
    other_trainer = factories.user("ramata", roles=("trainer",), display_name="Ramata Sy")
    victim = factories.user("binta", display_name="Binta Sow")
    theirs = factories.cohort(other_trainer, learners=[victim], name="Kigali")
    factories.cohort(trainer, name="Dakar")
    fatou = signed_in(app, "fatou")
    mine = db.session.execute(db.select(Cohort).filter_by(name="Dakar")).scalar_one()
    fatou.submit(f"/cohorts/{mine.id}/members", {"username": "binta", "role": "learner"})
    assert cohorts.membership(mine, victim) is None
    for url in (f"/learners/{victim.id}/progress", f"/mentoring/mentees/{victim.id}",
                f"/users/{victim.id}/reset-password"):
        assert fatou.get(url).status_code in (403, 404), url
    assert fatou.submit(f"/users/{victim.id}/reset-password").status_code == 403
    assert db.session.execute(db.select(OneTimeCode)).first() is None
    assert theirs.trainer_id == other_trainer.id

    # Binta accepts the invitation herself: now Fatou is her trainer ...
    binta = signed_in(app, "binta")
    invitation = db.session.execute(db.select(Invitation).filter_by(user_id=victim.id)).scalar_one()
    assert binta.submit(f"/invitations/{invitation.public_id}", {"answer": "accept"}).status_code == 302
    assert fatou.get(f"/learners/{victim.id}/progress").status_code == 200
    # ... until she leaves the cohort: then Fatou sees nothing and can give no code.
    cohorts.remove(mine.trainer, mine, victim)
    db.session.commit()
    assert fatou.get(f"/learners/{victim.id}/progress").status_code in (403, 404)
    assert fatou.submit(f"/users/{victim.id}/reset-password").status_code == 403


def test_only_the_invited_person_answers_her_invitation(app, cohort, trainer):
    binta = factories.user("binta")
    factories.user("coumba")
    fatou = signed_in(app, "fatou")
    fatou.submit(f"/cohorts/{cohort.id}/members", {"username": "binta", "role": "learner"})
    invitation = db.session.execute(db.select(Invitation).filter_by(user_id=binta.id)).scalar_one()
    for attacker in ("coumba", "fatou", "amina"):
        assert signed_in(app, attacker).submit(f"/invitations/{invitation.public_id}",
                                               {"answer": "accept"}).status_code == 404
    db.session.refresh(invitation)
    assert invitation.answered_at is None


def test_a_one_time_code_is_recorded_works_once_and_leaves_the_password_until_used(app, cohort, trainer, learner):
    fatou = signed_in(app, "fatou")
    page = fatou.submit(f"/users/{learner.id}/reset-password").get_data(as_text=True)
    code = re.search(r'class="code">([A-Z0-9-]+)<', page).group(1)
    row = db.session.execute(db.select(OneTimeCode)).scalar_one()
    assert row.issued_by_id == trainer.id and row.issued_at and row.used_at is None
    assert code not in row.code_hash
    assert "given by Fatou Ndiaye" in fatou.get(f"/users/{learner.id}/reset-password").get_data(as_text=True)

    phone = signed_in(app, "mariam")  # her password still works
    slip = fresh(app)  # the code works once, typed in a visible field, in any case, without its dash ...
    assert 'type="text"' in slip.get("/sign-in/code").get_data(as_text=True)
    assert slip.submit("/sign-in/code", {"username": "mariam", "password": code.lower().replace("-", "")}
                       ).headers["Location"].endswith("/account/password")
    assert phone.get("/account").status_code == 302  # ... and ends her other sessions
    again = fresh(app).submit("/sign-in", {"username": "mariam", "password": code})
    assert "Wrong username or password" in again.get_data(as_text=True)


# 3 and 4. Signing out ends the session, for every copy of its cookies.

def test_sign_out_after_stay_signed_in_kills_both_cookies_and_their_copies(app, learner):
    client = signed_in(app, "mariam", remember="y")
    remember = client.get_cookie("remember_token")
    session = client.get_cookie("session")
    assert remember is not None
    response = client.submit("/sign-out")
    deleted = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token=")]
    assert deleted and ("Expires=Thu, 01 Jan 1970" in deleted[0] or "Max-Age=0" in deleted[0])
    for name, cookie in (("remember_token", remember), ("session", session)):
        thief = fresh(app)
        thief.set_cookie(name, cookie.value)
        assert thief.get("/account").status_code == 302, name


def test_a_password_change_signs_out_her_other_devices(app, learner):
    phone = signed_in(app, "mariam")
    computer = signed_in(app, "mariam")
    computer.submit("/account/password", {"current": factories.PASSWORD, "password": "new secret 2026",
                                          "confirm": "new secret 2026"})
    assert computer.get("/account").status_code == 200
    assert phone.get("/account").status_code == 302


def test_sign_out_of_all_devices_and_deactivation_end_every_session(app, learner, admin):
    phone = signed_in(app, "mariam")
    computer = signed_in(app, "mariam", remember="y")
    phone.submit("/account/sign-out-everywhere")
    assert phone.get("/account").status_code == 302 and computer.get("/account").status_code == 302
    db.session.refresh(learner)
    assert learner.sessions_revoked_at is not None

    phone = signed_in(app, "mariam")
    amina = signed_in(app, "amina")
    amina.submit(f"/admin/users/{learner.id}/active", {"active": "0"})
    assert phone.get("/account").status_code == 302


# 8 and 9. Guessing is slowed down, every failure counts, and the owner keeps a way in.

def test_the_owner_gets_in_from_her_own_device_while_someone_guesses_elsewhere(app, admin):
    attacker = fresh(app, "127.0.0.66")
    for _ in range(8):
        attacker.submit("/sign-in", {"username": "amina", "password": "guess"})
    blocked = attacker.submit("/sign-in", {"username": "amina", "password": factories.PASSWORD})
    assert blocked.status_code == 429
    owner = fresh(app, "127.0.0.7")
    assert owner.submit("/sign-in", {"username": "amina", "password": factories.PASSWORD}).status_code == 302


def test_wrong_current_passwords_on_change_password_are_throttled(app, learner):
    client = signed_in(app, "mariam")
    for _ in range(5):
        client.submit("/account/password", {"current": "guess", "password": "new secret 2026",
                                            "confirm": "new secret 2026"})
    response = client.submit("/account/password", {"current": factories.PASSWORD, "password": "new secret 2026",
                                                   "confirm": "new secret 2026"})
    assert response.status_code == 429 and "Too many attempts" in response.get_data(as_text=True)


def test_pin_guessing_is_throttled_per_cohort_too(app, cohort, trainer, learner):
    others = [factories.user(f"learner{i}") for i in range(5)]
    for other in others:
        factories.join(cohort, other)
    signed_in(app, "fatou").submit(f"/cohorts/{cohort.id}/pins", {"valid_days": "7"})
    guesser = fresh(app)
    statuses = []
    for n in range(app.config["THROTTLE_COHORT_PIN_FAILURES"] + 1):
        target = others[n % len(others)]  # a few tries on each name, never enough to block one learner
        guesser.environ_base["REMOTE_ADDR"] = f"127.0.1.{n}"  # and from many addresses
        statuses.append(guesser.submit(f"/c/{cohort.join_code}/pin", {"learner": target.id, "pin": "0000"}).status_code)
    assert statuses[-1] == 429


@pytest.fixture
def loose_throttle_app(make_app):
    """High limits, so that parallel attempts are all counted rather than refused."""
    app = make_app(THROTTLE_ACCOUNT_FAILURES=1000, THROTTLE_ADDRESS_FAILURES=1000,
                   THROTTLE_ACCOUNT_TOTAL_FAILURES=1000)
    with app.app_context():
        reset_database()
        factories.user("amina", roles=("admin",))
        yield app
        db.session.remove()


def test_parallel_wrong_attempts_are_each_counted(loose_throttle_app):
    app, attempts = loose_throttle_app, 16
    tokens = []
    clients = [fresh(app) for _ in range(attempts)]
    for client in clients:
        tokens.append(client.csrf_token())
    barrier = threading.Barrier(attempts)
    statuses = []

    def attempt(client, token):
        barrier.wait()
        with app.app_context():
            statuses.append(client.post("/sign-in", data={"username": "amina", "password": "wrong",
                                                          "csrf_token": token}).status_code)

    threads = [threading.Thread(target=attempt, args=pair) for pair in zip(clients, tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * attempts
    counts = dict(db.session.execute(db.select(SignInThrottle.scope, SignInThrottle.failures)).all())
    assert counts == {"account-address": attempts, "address": attempts, "account": attempts}
