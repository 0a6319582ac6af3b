"""A trainer runs her cohort: creates it, shares its code, enrols learners, assigns mentors."""
import re

from lms.accounts.models import User
from lms.cohorts.models import Cohort, MentorAssignment, Membership
from lms.extensions import db
from tests import factories


def test_trainer_creates_a_cohort_and_gets_a_code_a_link_and_a_sheet(client, trainer, sign_in, course):
    sign_in("fatou")
    path_id = course["market-stall"].path_id
    response = client.submit("/cohorts/new", {"name": "Thiès — avril", "paths": [str(path_id)], "language": "fr",
                                              "starts_on": "2027-04-01", "ends_on": "2027-06-30",
                                              "place": "Maison des femmes"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    cohort = db.session.execute(db.select(Cohort)).scalar_one()
    assert f"Share its code {cohort.join_code}" in page
    assert f"/join/{cohort.join_code}" in page
    sheet = client.get(f"/cohorts/{cohort.id}/sheet").get_data(as_text=True)
    assert "<svg" in sheet and cohort.join_code in sheet and "<script>" not in sheet


def test_cohort_form_reports_mistakes(client, trainer, sign_in, course):
    sign_in("fatou")
    page = client.submit("/cohorts/new", {"name": "", "language": "fr", "starts_on": "2027-04-01",
                                          "ends_on": "2027-03-01"}).get_data(as_text=True)
    assert "Choose at least one path." in page and "The end date comes before the start date." in page
    assert db.session.execute(db.select(Cohort)).first() is None


def test_a_learner_joins_with_the_code_later(client, cohort, sign_in):
    newcomer = factories.user("binta")
    sign_in("binta")
    page = client.submit("/join", {"code": cohort.join_code.lower()}, follow_redirects=True).get_data(as_text=True)
    assert f"You joined the cohort {cohort.name}" in page
    assert db.session.execute(db.select(Membership).filter_by(user_id=newcomer.id)).scalar_one().cohort_id == cohort.id
    page = client.submit("/join", {"code": "NOPE99"}).get_data(as_text=True)
    assert "No open cohort has this code" in page


def test_a_visitor_follows_the_join_link_and_registers_into_the_cohort(client, cohort):
    page = client.get(f"/join/{cohort.join_code}").get_data(as_text=True)
    assert "First create your account" in page
    assert f'value="{cohort.join_code}"' in client.get("/register").get_data(as_text=True)
    client.submit("/register", {"username": "khadija", "password": "abidjan-2026", "confirm": "abidjan-2026",
                                "display_name": "Khadija", "locale": "en", "join_code": cohort.join_code})
    user = db.session.execute(db.select(User).filter_by(username="khadija")).scalar_one()
    assert db.session.execute(db.select(Membership).filter_by(user_id=user.id)).scalar_one().cohort_id == cohort.id


def test_a_mistyped_cohort_code_keeps_her_on_the_form_and_makes_no_account(client, cohort):
    form = {"username": "khadija", "password": "abidjan-2026", "confirm": "abidjan-2026", "display_name": "Khadija",
            "locale": "en", "join_code": "ZZZZZZ"}
    page = client.submit("/register", form)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="join_code-error"' in html and "No open cohort has the code ZZZZZZ" in html
    assert 'value="khadija"' in html  # what she typed is kept
    assert db.session.execute(db.select(User).filter_by(username="khadija")).first() is None
    client.submit("/register", {**form, "join_code": cohort.join_code})
    user = db.session.execute(db.select(User).filter_by(username="khadija")).scalar_one()
    assert db.session.execute(db.select(Membership).filter_by(user_id=user.id)).scalar_one().cohort_id == cohort.id


CSV = """name;username or phone;language
Aminata Diallo;+221 77 123 45 67;fr
Grace Uwase;grace.uwase;en
;nobody;fr
Mariam Dup;mariam;fr
Awa Sow;awa.sow;sw
Ndèye Fall;;fr
"""


def test_bulk_enrolment_keeps_good_rows_and_reports_bad_ones_by_line(client, cohort, trainer, sign_in):
    sign_in("fatou")
    before = db.session.execute(db.select(db.func.count(User.id))).scalar()
    preview = client.submit(f"/cohorts/{cohort.id}/enrol", {"text": CSV}).get_data(as_text=True)
    assert "3 new accounts will be created." in preview and "Mariam Dup;mariam;fr" in preview  # the line, quoted
    assert db.session.execute(db.select(db.func.count(User.id))).scalar() == before  # nothing yet
    page = client.submit(f"/cohorts/{cohort.id}/enrol", {"text": CSV, "confirm": "1"}).get_data(as_text=True)
    assert "3 accounts created" in page
    for line, reason in ((4, "the name is missing"), (5, "this username is already used"),
                         (6, "the language must be fr or en")):
        assert re.search(rf"<td>{line}</td>\s*<td><code>[^<]*</code></td>\s*<td><strong>Not enrolled:</strong> {reason}",
                         page), line
    codes = re.findall(r'class="code">([A-Z0-9]{4}-[A-Z0-9]{4})<', page)
    assert len(codes) == 3
    aminata = db.session.execute(db.select(User).filter_by(phone="+221 77 123 45 67")).scalar_one()
    assert aminata.username == "aminata.diallo" and aminata.created_by_id == trainer.id
    assert db.session.execute(db.select(User).filter_by(username="ndeye.fall")).scalar_one().locale == "fr"
    # The learner signs in with her code and must choose a password.
    other = client.application.test_client()
    first = other.submit("/sign-in", {"username": "grace.uwase", "password": codes[1].lower().replace("-", "")})
    assert first.headers["Location"].endswith("/account/password")  # any case, with or without the dash


def test_bulk_enrolment_from_an_uploaded_excel_csv(client, cohort, sign_in):
    import io

    sign_in("fatou")
    data = "Nom,Téléphone,Langue\nRokhaya Ndiaye,+221 70 000 00 00,fr\n".encode("cp1252")
    page = client.submit(f"/cohorts/{cohort.id}/enrol", {"file": (io.BytesIO(data), "liste.csv"), "confirm": "1"},
                         content_type="multipart/form-data").get_data(as_text=True)
    assert "1 account created" in page and "Rokhaya Ndiaye" in page


def test_mentors_are_assigned_by_hand_or_balanced_and_history_is_kept(client, cohort, trainer, learner, mentor,
                                                                     sign_in):
    second = factories.user("coumba", roles=("mentor",))
    others = [factories.user(f"learner{i}") for i in range(3)]
    factories.join(cohort, second, "mentor")
    for other in others:
        factories.join(cohort, other)
    sign_in("fatou")
    client.submit(f"/cohorts/{cohort.id}/mentors/balance")
    db.session.rollback()
    current = db.session.execute(db.select(MentorAssignment).where(MentorAssignment.ended_at.is_(None))).scalars().all()
    load = {}
    for a in current:
        load[a.mentor_id] = load.get(a.mentor_id, 0) + 1
    assert load == {mentor.id: 2, second.id: 2}
    client.submit(f"/cohorts/{cohort.id}/mentors", {"learner_id": learner.id, "mentor_id": second.id})
    history = db.session.execute(db.select(MentorAssignment).filter_by(learner_id=learner.id)
                                 .order_by(MentorAssignment.id)).scalars().all()
    assert [(a.mentor_id, a.ended_at is None) for a in history] == [(mentor.id, False), (second.id, True)]


def test_only_people_with_the_mentor_role_can_mentor(client, cohort, sign_in):
    factories.user("binta")
    sign_in("fatou")
    page = client.submit(f"/cohorts/{cohort.id}/members", {"username": "binta", "role": "mentor"},
                         follow_redirects=True).get_data(as_text=True)
    assert "does not have the mentor role" in page


def test_pin_sign_in_on_a_shared_computer_is_throttled(app, client, cohort, learner, sign_in):
    sign_in("fatou")
    page = client.submit(f"/cohorts/{cohort.id}/pins").get_data(as_text=True)
    pin = re.search(r'class="code">(\d{4})<', page).group(1)
    shared = app.test_client()
    form = shared.get(f"/c/{cohort.join_code}/pin").get_data(as_text=True)
    assert "Mariam Camara" in form
    assert shared.submit(f"/c/{cohort.join_code}/pin", {"learner": learner.id, "pin": pin}).status_code == 302
    assert "Mariam Camara" in shared.get("/").get_data(as_text=True)
    other = app.test_client()
    wrong = "0000" if pin != "0000" else "1111"
    for _ in range(app.config["THROTTLE_ACCOUNT_FAILURES"]):
        assert "Wrong PIN" in other.submit(f"/c/{cohort.join_code}/pin", {"learner": learner.id, "pin": wrong}).get_data(as_text=True)
    assert other.submit(f"/c/{cohort.join_code}/pin", {"learner": learner.id, "pin": pin}).status_code == 429


def test_pin_page_is_closed_unless_the_cohort_allows_it(client, cohort):
    assert client.get(f"/c/{cohort.join_code}/pin").status_code == 404


def test_removing_a_learner_keeps_her_history(client, cohort, learner, sign_in):
    sign_in("fatou")
    client.submit(f"/cohorts/{cohort.id}/members/{learner.id}/remove", {"role": "learner"})
    member = db.session.execute(db.select(Membership).filter_by(user_id=learner.id)).scalar_one()
    assert member.left_at is not None


def test_a_csv_sent_twice_enrols_nobody_twice_and_says_so(client, cohort, sign_in):
    sign_in("fatou")
    text = "Bintou Camara,+221 76 555 44 33,fr\nAwa Sow,awa.sow,fr\nAwa Sow,awa.sow,fr\n"
    first = client.submit(f"/cohorts/{cohort.id}/enrol", {"text": text, "confirm": "1"}).get_data(as_text=True)
    assert "2 accounts created" in first
    again = client.submit(f"/cohorts/{cohort.id}/enrol", {"text": text}).get_data(as_text=True)
    assert "No line of this file can be enrolled" in again and "already in the cohort" in again
    assert db.session.execute(db.select(db.func.count(User.id)).filter(User.display_name == "Awa Sow")).scalar() == 1
    assert db.session.execute(db.select(db.func.count(User.id)).filter(User.phone_tail == "65554433")).scalar() == 1


def test_a_line_with_the_wrong_separator_is_refused_and_quoted(client, cohort, sign_in):
    sign_in("fatou")
    text = "name,username,language\nAwa Sow,awa.sow,fr\nBintou Camara;bintou.camara;fr;extra\n"
    page = client.submit(f"/cohorts/{cohort.id}/enrol", {"text": text}).get_data(as_text=True)
    assert "Bintou Camara;bintou.camara;fr;extra" in page and "1 fields instead of 3" in page
    assert "1 new account will be created." in page
    db.session.rollback()
    assert db.session.execute(db.select(User).filter_by(display_name="Bintou Camara;bintou.camara;fr;extra")
                              ).first() is None


def test_someone_with_an_account_is_invited_not_enrolled_twice(client, cohort, sign_in):
    from lms.cohorts.models import Invitation

    factories.user("binta", display_name="Binta Sow", phone="+221 70 111 22 33")
    sign_in("fatou")
    page = client.submit(f"/cohorts/{cohort.id}/enrol", {"text": "Binta S.,70 111 22 33,fr\n", "confirm": "1"}
                         ).get_data(as_text=True)
    assert "already had an account" in page
    invitation = db.session.execute(db.select(Invitation).join(User, Invitation.user_id == User.id)
                                    .filter(User.username == "binta")).scalar_one()
    assert invitation.answered_at is None


def test_an_invitation_that_cannot_go_says_why_by_the_field_and_keeps_the_name(client, cohort, sign_in):
    sign_in("fatou")
    empty = client.submit(f"/cohorts/{cohort.id}/members", {"username": "", "role": "learner"})
    assert empty.status_code == 200 and 'id="username-error"' in empty.get_data(as_text=True)
    unknown = client.submit(f"/cohorts/{cohort.id}/members", {"username": "aminata.k", "role": "learner"})
    html = unknown.get_data(as_text=True)
    assert unknown.status_code == 200 and 'value="aminata.k"' in html
    assert re.search(r'id="username-error">.*No active account has this username', html)
