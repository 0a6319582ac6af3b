"""No email offline: a trainer gives a one-time code; the learner then chooses a password."""
import re

from tests import factories


def give_code(client, user_id):
    page = client.submit(f"/users/{user_id}/reset-password").get_data(as_text=True)
    return re.search(r'class="code">([A-Z0-9-]+)<', page).group(1)


def test_trainer_gives_a_code_and_the_learner_chooses_a_new_password(app, client, trainer, learner, sign_in):
    factories.cohort(trainer, learners=[learner])
    sign_in("fatou")
    code = give_code(client, learner.id)
    client.submit("/sign-out")

    # Giving a code does not lock her out: her password works until the code is used.
    assert sign_in("mariam").status_code == 302
    client.submit("/sign-out")
    # The code works, but only to choose a password, and she is not asked to type it again.
    response = sign_in("mariam", code)
    assert response.headers["Location"].endswith("/account/password")
    assert client.get("/").headers["Location"].endswith("/account/password")
    page = client.get("/account/password")
    assert page.status_code == 200 and 'name="password"' in page.get_data(as_text=True)
    assert 'name="current"' not in page.get_data(as_text=True)

    response = client.submit("/account/password", {
        "password": "my own secret", "confirm": "my own secret"}, follow_redirects=True)
    assert "Your new password is saved." in response.get_data(as_text=True)
    assert client.get("/").status_code == 200
    client.submit("/sign-out")
    assert sign_in("mariam", "my own secret").status_code == 302
    client.submit("/sign-out")
    assert "Wrong username or password" in sign_in("mariam", code).get_data(as_text=True)  # spent


def test_trainer_cannot_reset_a_learner_outside_her_cohorts(client, trainer, learner, sign_in):
    sign_in("fatou")
    assert client.get(f"/users/{learner.id}/reset-password").status_code == 403


def test_trainer_cannot_reset_another_trainer_or_an_admin(client, trainer, admin, sign_in):
    other = factories.user("binta", roles=("trainer",))
    sign_in("fatou")
    assert client.get(f"/users/{other.id}/reset-password").status_code == 403
    assert client.submit(f"/users/{admin.id}/reset-password").status_code == 403


def test_learner_and_mentor_cannot_reset_anyone(client, learner, mentor, sign_in):
    sign_in("awa")
    assert client.get(f"/users/{learner.id}/reset-password").status_code == 403


def test_admin_can_reset_a_trainer(client, admin, trainer, sign_in):
    sign_in("amina")
    assert re.match(r"[A-Z0-9]{4}-[A-Z0-9]{4}", give_code(client, trainer.id))


def test_changing_password_requires_the_current_one(client, learner, sign_in):
    sign_in("mariam")
    page = client.submit("/account/password", {
        "current": "not it", "password": "new password 1", "confirm": "new password 1"}).get_data(as_text=True)
    assert "This is not your current password." in page
