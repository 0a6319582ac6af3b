"""What the phone needs to work offline: the service worker, the manifest, the offline page, a path's list."""
import io
import json
import re

from PIL import Image

from tests import factories
from tests.conftest import reset_database


def test_the_service_worker_is_served_from_the_root_with_the_app_shell(client, course):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript" and response.headers["Cache-Control"] == "no-cache"
    script = response.get_data(as_text=True)
    config = json.loads(re.match(r"self\.LMS = (\{.*\});", script).group(1))
    assert "/offline" in config["shell"] and re.fullmatch(r"[0-9a-f]{12}", config["version"])
    assert any(re.fullmatch(r"/static/css/app\.[0-9a-f]{10}\.css", url) for url in config["shell"])
    assert re.search(r'importScripts\("/static/js/offline-store\.[0-9a-f]{10}\.js"\)', script)
    for url in config["shell"]:
        assert client.get(url).status_code == 200, url


def test_the_platform_can_be_installed_on_the_home_screen(client, course):
    page = client.get("/").get_data(as_text=True)
    manifest_url = re.search(r'<link rel="manifest" href="([^"]+)">', page).group(1)
    response = client.get(manifest_url, headers={"Accept-Language": "fr"})
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data(as_text=True))
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#7a2e8e" and manifest["lang"] == "fr"
    sizes = {}
    for icon in manifest["icons"]:
        body = client.get(icon["src"]).get_data()
        if icon["type"] == "image/png":
            sizes[icon["sizes"]] = Image.open(io.BytesIO(body)).size
        else:
            assert body.startswith(b"<svg") and b"#7a2e8e" in body
    assert sizes == {"192x192": (192, 192), "512x512": (512, 512)}


def test_the_offline_page_speaks_her_language_and_names_nobody(client, course, learner, sign_in):
    sign_in("mariam")
    page = client.get("/offline").get_data(as_text=True)
    assert "You are offline" in page and "Saved on this phone" in page
    assert "Mariam Camara" not in page and "csrf" not in page and 'name="lms-user"' not in page
    assert "Sign out" not in page
    french = client.get("/offline", headers={"Accept-Language": "fr"})
    assert french.status_code == 200


def test_the_offline_page_is_in_french_for_a_french_visitor(client, admin):
    page = client.get("/offline", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="fr">' in page and "Vous êtes hors ligne" in page


def test_a_path_lists_the_pages_and_reduced_images_to_save(client, course):
    listing = client.get("/offline/paths/market").get_json()
    assert listing["url"] == "/paths/market" and listing["title"] == "Selling at the market"
    assert listing["pages"] == ["/paths/market", "/lessons/market-stall", "/lessons/market-prices",
                                "/lessons/market-closing"]
    assert len(listing["media"]) == 1 and re.fullmatch(r"/media/[0-9a-f]{20}\.720\.png", listing["media"][0])
    assert listing["media_bytes"] == len(client.get(listing["media"][0]).get_data())
    assert client.get("/offline/paths/nowhere").status_code == 404


def test_on_a_private_site_a_path_list_needs_an_account(make_app):
    app = make_app(PRIVATE_SITE=True)
    with app.app_context():
        reset_database()
        factories.user("amina", roles=("admin",))
        assert app.test_client().get("/offline/paths/market").status_code == 401


def test_the_path_page_tells_the_script_where_its_list_is(client, course):
    page = client.get("/paths/market").get_data(as_text=True)
    assert '<h1 data-offline="/offline/paths/market">' in page
    assert "Save this path for offline" not in page  # the button needs the script: it adds it


def test_each_reader_has_an_opaque_marker_for_the_offline_caches(client, course, learner, mentor, sign_in):
    marker = re.compile(r'<meta name="lms-user" content="([^"]*)">')
    assert marker.search(client.get("/").get_data(as_text=True)).group(1) == ""
    sign_in("mariam")
    hers = marker.search(client.get("/").get_data(as_text=True)).group(1)
    client.submit("/sign-out")
    sign_in("awa")
    other = marker.search(client.get("/").get_data(as_text=True)).group(1)
    client.submit("/sign-out")
    sign_in("mariam")
    assert marker.search(client.get("/paths").get_data(as_text=True)).group(1) == hers
    assert re.fullmatch(r"[0-9a-f]{16}", hers) and hers != other and str(learner.id) != hers


def test_the_script_strings_come_in_one_small_file_per_language_kept_for_a_year(client, course):
    page = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    url = re.search(r'data-strings="([^"]+)"', page).group(1).replace("&amp;", "&")
    response = client.get(url)
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    strings = response.get_json()
    assert strings["save"] == "Enregistrer ce parcours pour le hors-ligne"
    assert "{n}" in strings["waiting"]
    unversioned = client.get("/offline/strings/en.json")
    assert "immutable" not in unversioned.headers.get("Cache-Control", "")
    assert unversioned.get_json()["save"] == "Save this path for offline"
    assert client.get("/offline/strings/de.json").status_code == 404
