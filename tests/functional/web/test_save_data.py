"""Save data: lesson images are shown only when she taps them."""
import re


def test_she_chooses_to_save_data_on_her_account_page(client, course, learner, sign_in):
    sign_in("mariam")
    assert 'name="save_data"' in client.get("/account").get_data(as_text=True)
    with_images = client.get("/lessons/market-stall").get_data(as_text=True)
    assert re.search(r'<img[^>]* src="/media/', with_images)
    client.submit("/account", {"display_name": "Mariam Camara", "locale": "en", "save_data": "y"})
    assert learner.save_data is True
    page = client.get("/lessons/market-stall").get_data(as_text=True)
    link = re.search(r'<a class="image-link" href="(/media/[^"]+)">Show image \((\d+) KB\)</a> <span>A mango stall</span>',
                     page)
    assert link and "<img" not in page.split('<div class="content">')[1].split("</div>")[0]
    image = client.get(link.group(1)).get_data()
    assert int(link.group(2)) == max(1, round(len(image) / 1024))
    client.submit("/account", {"display_name": "Mariam Camara", "locale": "en"})
    assert learner.save_data is False


def test_a_browser_that_asks_to_save_data_gets_links_instead_of_images(client, course):
    page = client.get("/lessons/market-stall", headers={"Save-Data": "on"}).get_data(as_text=True)
    assert 'class="image-link"' in page and "Show image (" in page
    assert "<img" not in client.get("/lessons/market-stall", headers={"Save-Data": "on"}).get_data(as_text=True)
    assert re.search(r"<img[^>]* src=", client.get("/lessons/market-stall").get_data(as_text=True))


def test_the_link_is_in_french_for_a_french_reader(client, course):
    page = client.get("/lessons/market-stall", headers={"Save-Data": "on", "Accept-Language": "fr"})
    assert "Afficher l’image (" in page.get_data(as_text=True)
