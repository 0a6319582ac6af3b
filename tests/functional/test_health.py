"""GET /healthz tells a monitoring script whether the site can serve."""


def test_health_check_reports_the_database(client):
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True


def test_health_check_answers_503_when_a_part_is_broken(app, client):
    app.extensions.setdefault("lms.health_checks", {})["broken"] = lambda: (False, "unreachable")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "error"
