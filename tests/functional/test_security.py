"""Security from day one: CSRF on every POST, headers on every response, safe cookies."""
from tests import factories


def test_a_form_posted_without_its_token_is_refused(client, learner):
    response = client.post("/sign-in", data={"username": "mariam", "password": factories.PASSWORD})
    assert response.status_code == 400
    assert client.get("/account").status_code == 302  # not signed in


def test_sign_out_without_token_does_nothing(client, learner, sign_in):
    sign_in("mariam")
    client.post("/sign-out")
    assert client.get("/account").status_code == 200


def test_pages_with_forms_expose_the_token_in_a_meta_tag(client, learner):
    page = client.get("/sign-in").get_data(as_text=True)
    assert '<meta name="csrf-token" content="' in page


def test_security_headers_are_sent(client, admin):
    response = client.get("/sign-in")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_no_inline_script_in_pages(client, admin, sign_in):
    sign_in("amina")
    for url in ("/", "/account", "/admin/users", f"/admin/users/{admin.id}"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>" not in page and " onclick=" not in page and "style=" not in page


def test_session_cookie_is_httponly_and_samesite_lax(client, learner, sign_in):
    response = sign_in("mariam")
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_secure_cookie_when_configured_for_https(make_app):
    app = make_app(SESSION_COOKIE_SECURE=True)
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_passwords_are_hashed_with_scrypt(learner):
    assert learner.password_hash.startswith("scrypt:")
    assert factories.PASSWORD not in learner.password_hash


def test_error_pages_in_both_languages(client, admin):
    assert "Page not found" in client.get("/nowhere", headers={"Accept-Language": "en"}).get_data(as_text=True)
    page = client.get("/nowhere", headers={"Accept-Language": "fr"})
    assert page.status_code == 404
    assert "Page introuvable" in page.get_data(as_text=True)
    assert "authentication required" in client.get("/api/v1/none").get_data(as_text=True) or \
        client.get("/api/v1/none").status_code == 404


def test_server_errors_show_a_friendly_page(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    with app.app_context():
        from tests.conftest import reset_database
        reset_database()
        factories.user("amina", roles=("admin",))
        response = app.test_client().get("/boom", headers={"Accept-Language": "fr"})
    assert response.status_code == 500
    assert "Un problème est survenu sur le serveur" in response.get_data(as_text=True)


def test_a_nul_character_anywhere_in_the_input_is_a_miss_never_a_server_error(client, learner, sign_in):
    """PostgreSQL refuses NUL in text: unguarded, a fuzzer's %00 would be a 500 there and a miss on SQLite."""
    assert client.get("/lessons/x%00y").status_code == 404
    assert client.get("/search?q=a%00b").status_code == 200
    refused = sign_in(learner.username + "\x00")
    assert refused.status_code == 200 and b"Traceback" not in refused.data and b'name="password"' in refused.data
