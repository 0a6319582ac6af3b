"""Signing in and out, registration, and throttling of guesses."""
from lms.accounts.models import User
from lms.extensions import db
from tests import factories


def test_learner_signs_in_and_out(client, learner, sign_in):
    response = sign_in("mariam")
    assert response.status_code == 302
    assert "Mariam Camara" in client.get("/").get_data(as_text=True)
    client.submit("/sign-out", follow_redirects=True)
    assert "Mariam Camara" not in client.get("/").get_data(as_text=True)


def test_username_is_not_case_sensitive(client, learner, sign_in):
    assert sign_in("Mariam").status_code == 302


def test_wrong_password_gives_a_clear_message(client, learner, sign_in):
    page = sign_in("mariam", "wrong password").get_data(as_text=True)
    assert "Wrong username or password" in page


def test_deactivated_account_cannot_sign_in(client, learner, sign_in):
    learner.active = False
    db.session.commit()
    assert "Wrong username or password" in sign_in("mariam").get_data(as_text=True)


def test_next_parameter_only_leads_inside_the_site(client, learner):
    token = client.csrf_token()
    response = client.post("/sign-in?next=https://evil.example/", data={
        "username": "mariam", "password": factories.PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/"


def test_registration_creates_a_learner(client, admin):
    response = client.submit("/register", {
        "username": "Khadija", "password": "abidjan-2026", "confirm": "abidjan-2026",
        "display_name": "Khadija Traoré", "locale": "fr", "country": "CI", "phone": "+225 07 00 00 00",
    }, follow_redirects=True)
    assert "Bienvenue, Khadija Traoré" in response.get_data(as_text=True)
    user = db.session.execute(db.select(User).filter_by(username="khadija")).scalar_one()
    assert user.roles == {"learner"}
    assert user.country == "CI"
    assert user.email is None


def test_registration_refuses_a_taken_username(client, learner):
    response = client.submit("/register", {
        "username": "MARIAM", "password": "abidjan-2026", "confirm": "abidjan-2026",
        "display_name": "Another Mariam", "locale": "en",
    })
    assert "This username is taken" in response.get_data(as_text=True)


def test_registration_can_be_switched_off(make_app):
    from tests.conftest import reset_database

    app = make_app(REGISTRATION_OPEN=False)
    with app.app_context():
        reset_database()
        factories.user("amina", roles=("admin",))
        client = app.test_client()
        response = client.get("/register", headers={"Accept-Language": "en"})
        assert response.status_code == 403
        assert "Registration is closed" in response.get_data(as_text=True)
        assert "/register" not in client.get("/sign-in").get_data(as_text=True)


def test_repeated_failures_on_one_account_make_her_wait(client, learner, sign_in, app):
    for _ in range(app.config["THROTTLE_ACCOUNT_FAILURES"]):
        sign_in("mariam", "guess")
    response = sign_in("mariam")  # even the right password must wait now
    assert response.status_code == 429
    assert "Too many attempts. Please wait 1 minute" in response.get_data(as_text=True)


def test_throttling_is_temporary(client, learner, sign_in, app):
    from datetime import timedelta

    from lms.accounts.models import SignInThrottle

    for _ in range(app.config["THROTTLE_ACCOUNT_FAILURES"]):
        sign_in("mariam", "guess")
    for row in db.session.execute(db.select(SignInThrottle)).scalars():
        if row.blocked_until:
            row.blocked_until -= timedelta(hours=1)
    db.session.commit()
    assert sign_in("mariam").status_code == 302


def test_many_failures_from_one_address_are_throttled_across_accounts(make_app):
    from tests.conftest import reset_database

    app = make_app(THROTTLE_ADDRESS_FAILURES=3)
    with app.app_context():
        reset_database()
        factories.user("amina", roles=("admin",))
        client = app.test_client()
        for name in ("a1", "a2", "a3"):
            client.submit("/sign-in", {"username": name, "password": "guess"})
        response = client.submit("/sign-in", {"username": "amina", "password": factories.PASSWORD})
        assert response.status_code == 429
        # Another client address is not affected.
        other = app.test_client()
        ok = other.post("/sign-in", data={"username": "amina", "password": factories.PASSWORD,
                                          "csrf_token": other.csrf_token()},
                        environ_base={"REMOTE_ADDR": "127.0.0.9"})
        assert ok.status_code == 302


def test_a_learner_signs_in_with_her_phone_number_as_enrolment_recorded_it(client, admin):
    factories.user("aminata", phone="+221 77 123 45 67")
    response = client.submit("/sign-in", {"username": "77 123 45 67", "password": factories.PASSWORD})
    assert response.status_code == 302
    client.submit("/sign-out")
    assert client.submit("/sign-in", {"username": "+221771234567", "password": factories.PASSWORD}).status_code == 302


def test_a_phone_number_shared_by_two_accounts_with_one_password_signs_in_neither(client, admin):
    factories.user("aminata", phone="+221 77 123 45 67")
    factories.user("aminata2", phone="77 123 45 67")
    response = client.submit("/sign-in", {"username": "771234567", "password": factories.PASSWORD})
    assert "Wrong username or password" in response.get_data(as_text=True)


def test_sisters_sharing_a_phone_each_sign_in_by_the_number_with_her_own_password(client, admin):
    from lms.accounts import services

    khady = factories.user("khady", phone="+221 78 301 45 90")
    factories.user("binta", phone="78 301 45 90")  # she registered later with her sister's phone
    services.change_password(khady, "le mot de passe de khady")
    db.session.commit()
    response = client.submit("/sign-in", {"username": "78 301 45 90", "password": "le mot de passe de khady"})
    assert response.status_code == 302
    page = client.get("/account").get_data(as_text=True)
    assert "khady" in page and "binta" not in page
    client.submit("/sign-out")
    assert client.submit("/sign-in", {"username": "+221783014590", "password": factories.PASSWORD}).status_code == 302
    page = client.get("/account").get_data(as_text=True)
    assert "binta" in page and "khady" not in page
