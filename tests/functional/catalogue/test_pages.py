"""Reading the catalogue, a path and a lesson, on a phone and without an account."""
import pytest

from tests import course_tree


@pytest.fixture
def imported(runner, tmp_path, admin):
    result = runner.invoke(args=["import-courses", str(course_tree.native_tree(tmp_path / "courses"))])
    assert result.exit_code == 0, result.output


def test_visitor_sees_the_catalogue_without_an_account(client, imported):
    page = client.get("/paths", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Vendre au marché" in page and "Bien présenter ses produits." in page
    assert "Débutant" in page and "2 leçons" in page


def test_path_page_lists_lessons_objectives_and_credits(client, imported):
    page = client.get("/paths/market", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Selling at the market" in page
    assert "Your stall" in page and "Arrange your stall" in page
    assert "Les prix" in page  # no English version: the French title is shown
    assert "Test team. CC BY-SA 4.0." in page


def test_lesson_page_shows_content_check_assignment_and_next(client, imported):
    page = client.get("/lessons/market-stall", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "<h1>Votre étal</h1>" in page and "10 minutes" in page
    assert "Awa vend des mangues" in page
    assert 'class="block block-tip"' in page
    assert "Que mettre devant\u202f?" in page and 'type="radio"' in page  # French spacing added at import
    assert "Photographiez votre étal." in page and "une photo" in page
    assert 'rel="next" href="/lessons/market-prices"' in page
    assert 'href="/lessons/market-stall?lang=en"' in page  # switch the lesson's language


def test_lesson_language_switch(client, imported):
    page = client.get("/lessons/market-stall?lang=en", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "<h1>Your stall</h1>" in page and '<html lang="fr">' in page


def test_missing_translation_shows_the_other_language_with_a_notice(client, imported):
    response = client.get("/lessons/market-prices", headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Les prix" in page
    assert "This lesson is not available in English yet; here it is in Français." in page


def test_unknown_lesson_and_path_are_404(client, imported):
    assert client.get("/lessons/nope").status_code == 404
    assert client.get("/paths/nope").status_code == 404


def test_private_site_asks_for_an_account(make_app, runner, tmp_path):
    from tests import factories
    from tests.conftest import reset_database

    app = make_app(PRIVATE_SITE=True)
    with app.app_context():
        reset_database()
        factories.user("amina", roles=("admin",))
        app.test_cli_runner().invoke(args=["import-courses", str(course_tree.native_tree(tmp_path / "c"))])
        client = app.test_client()
        assert "/sign-in" in client.get("/lessons/market-stall").headers["Location"]
        assert "/sign-in" in client.get("/paths").headers["Location"]
        client.submit("/sign-in", {"username": "amina", "password": factories.PASSWORD})
        assert client.get("/lessons/market-stall").status_code == 200


def test_images_are_served_for_a_year(client, imported, app):
    from pathlib import Path

    name = next((Path(app.instance_path) / "media").glob("*.720.png")).name
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert "immutable" in response.headers["Cache-Control"]
    assert client.get("/media/../secret_key").status_code == 404
