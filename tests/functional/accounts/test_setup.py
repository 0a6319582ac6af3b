"""First run: until an administrator exists, every page leads to the setup page."""
from lms.accounts.queries import admin_exists


def test_first_visit_in_french_shows_the_setup_page(client):
    response = client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/setup")
    page = client.get("/setup", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="fr">' in page
    assert "Installer la plateforme" in page


def test_every_page_leads_to_setup_but_health_check_answers(client):
    for url in ("/sign-in", "/register", "/account", "/admin/users"):
        assert client.get(url).headers["Location"].endswith("/setup")
    assert client.get("/healthz").status_code == 200


def test_setup_creates_the_administrator_and_signs_her_in(client):
    response = client.submit("/setup", {
        "username": "Amina", "password": "kigali-2026!", "confirm": "kigali-2026!",
        "display_name": "Amina Uwase", "locale": "en", "country": "RW",
    }, follow_redirects=True)
    assert "The platform is ready" in response.get_data(as_text=True)
    assert admin_exists()
    assert client.get("/admin/users").status_code == 200
    # Once done, the setup page cannot be used again.
    assert client.get("/setup").headers["Location"].endswith("/")


def test_setup_form_reports_mistakes_and_keeps_what_was_typed(client):
    response = client.submit("/setup", {
        "username": "a", "password": "short", "confirm": "other", "display_name": "Amina", "locale": "en",
    })
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "At least 8 characters." in page
    assert "The two passwords differ." in page
    assert 'value="Amina"' in page
    assert not admin_exists()
