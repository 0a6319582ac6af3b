"""Fatou works in English, her cohort learns in French: the sheet on the wall speaks French, her page around it English."""
from lms.extensions import db


def test_the_sign_up_sheet_speaks_the_cohorts_language(client, cohort, sign_in):
    cohort.language = "fr"
    db.session.commit()
    sign_in("fatou")
    client.submit("/language", {"lang": "en"})
    page = client.get(f"/cohorts/{cohort.id}/sheet").get_data(as_text=True)
    assert '<html lang="en"' in page and "Print this page and put it on the wall." in page
    assert '<article class="sheet" lang="fr">' in page
    sheet = page[page.index('<article class="sheet"'):page.index("</article>")]
    assert "Connectez votre téléphone au Wi-Fi du centre de formation." in sheet
    assert "Connect your phone" not in sheet


def test_an_english_cohorts_sheet_is_english_for_a_french_trainer(client, cohort, sign_in):
    cohort.language = "en"
    db.session.commit()
    sign_in("fatou")
    client.submit("/language", {"lang": "fr"})
    page = client.get(f"/cohorts/{cohort.id}/sheet").get_data(as_text=True)
    assert '<html lang="fr"' in page and '<article class="sheet" lang="en">' in page
    assert "Connect your phone to the training centre's Wi-Fi." in page
