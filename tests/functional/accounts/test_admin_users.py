"""Admins list and search users, change roles and deactivate accounts; nobody else can."""
import re

import pytest

from lms.accounts.models import User
from lms.extensions import db
from tests import factories


@pytest.mark.parametrize("who", ["learner", "mentor", "trainer"])
def test_only_admins_reach_the_user_pages(request, client, sign_in, who):
    user = request.getfixturevalue(who)
    sign_in(user.username)
    assert client.get("/admin/users").status_code == 403
    assert client.get(f"/admin/users/{user.id}").status_code == 403
    assert client.submit(f"/admin/users/{user.id}", {"roles": ["admin"]}).status_code == 403
    db.session.refresh(user)
    assert "admin" not in user.roles


def test_signed_out_visitor_is_sent_to_sign_in(client, admin):
    response = client.get("/admin/users")
    assert "/sign-in?next=" in response.headers["Location"]


def test_admin_searches_users_by_name_username_or_phone(client, admin, sign_in):
    factories.user("aicha", display_name="Aïcha Bah", phone="+224 620 11 22 33")
    factories.user("grace", display_name="Grace Uwimana")
    sign_in("amina")
    page = client.get("/admin/users?q=bah").get_data(as_text=True)
    assert "Aïcha Bah" in page and "Grace Uwimana" not in page
    assert "Aïcha Bah" in client.get("/admin/users?q=620").get_data(as_text=True)
    for typed in ("+224620112233", "620112233", "620 112 233"):  # however it is spaced or prefixed
        page = client.get("/admin/users", query_string={"q": typed}).get_data(as_text=True)
        assert "Aïcha Bah" in page and f'value="{typed}"' in page, typed
    page = client.get("/admin/users?role=admin").get_data(as_text=True)
    assert "Amina" in page and "Grace" not in page


def test_admin_changes_roles(client, admin, learner, sign_in):
    sign_in("amina")
    client.submit(f"/admin/users/{learner.id}", {"roles": ["learner", "mentor"]})
    db.session.refresh(learner)
    assert learner.roles == {"learner", "mentor"}


def test_admin_cannot_remove_her_own_admin_role(client, admin, sign_in):
    sign_in("amina")
    page = client.submit(f"/admin/users/{admin.id}", {"roles": ["trainer"]}).get_data(as_text=True)
    assert "You cannot remove your own administrator role." in page
    db.session.refresh(admin)
    assert "admin" in admin.roles


def test_deactivated_account_keeps_its_history_and_can_come_back(client, admin, learner, sign_in):
    sign_in("amina")
    client.submit(f"/admin/users/{learner.id}/active", {"active": "0"})
    db.session.refresh(learner)
    assert learner.active is False
    assert "Deactivated" in client.get("/admin/users").get_data(as_text=True)
    client.submit(f"/admin/users/{learner.id}/active", {"active": "1"})
    db.session.refresh(learner)
    assert learner.active is True


def test_a_deactivated_user_is_signed_out_on_her_next_request(app, admin, learner):
    client = app.test_client()
    client.submit("/sign-in", {"username": "mariam", "password": factories.PASSWORD})
    learner.active = False
    db.session.commit()
    assert "/sign-in" in client.get("/account").headers["Location"]


def test_an_admin_creates_a_trainer_from_the_admin_pages(client, admin, sign_in):
    sign_in("amina")
    assert "New account" in client.get("/admin/users").get_data(as_text=True)
    page = client.submit("/admin/users/new", {"username": "ndeye", "display_name": "Ndèye Sarr", "locale": "fr",
                                              "roles": ["trainer", "mentor"]}).get_data(as_text=True)
    code = re.search(r'class="code">([A-Z0-9-]+)<', page).group(1)
    user = db.session.execute(db.select(User).filter_by(username="ndeye")).scalar_one()
    assert user.roles == {"trainer", "mentor"} and user.created_by_id == admin.id
    other = client.application.test_client()
    assert other.submit("/sign-in/code", {"username": "ndeye", "password": code}).headers["Location"].endswith(
        "/account/password")


def test_the_new_account_form_reports_mistakes_and_keeps_what_was_typed(client, admin, sign_in):
    sign_in("amina")
    page = client.submit("/admin/users/new", {"username": "amina", "display_name": "Another Amina", "locale": "fr",
                                              "roles": []}).get_data(as_text=True)
    assert "Choose at least one role." in page and 'value="Another Amina"' in page
    page = client.submit("/admin/users/new", {"username": "amina", "display_name": "Another Amina", "locale": "fr",
                                              "roles": ["learner"]}).get_data(as_text=True)
    assert "This username is taken" in page


def test_only_admins_create_accounts(client, trainer, sign_in):
    sign_in("fatou")
    assert client.get("/admin/users/new").status_code == 403
    assert client.submit("/admin/users/new", {"username": "x123", "display_name": "X", "locale": "fr",
                                              "roles": ["admin"]}).status_code == 403
