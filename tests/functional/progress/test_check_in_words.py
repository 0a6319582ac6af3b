"""The knowledge check says its result in words, and answers sent with questions left out come back ticked."""
import re

import pytest

from lms.extensions import db
from lms.progress.models import ProgressEvent, QuizAttempt
from tests import course_tree

PATH = """\
id: shop
title:
  en: Running the shop
  fr: Tenir la boutique
"""

MONEY_EN = """\
---
id: shop-money
title: Money in the shop
minutes: 5
---

Keep the cash safe and write every sale down.

::: quiz
? Where do you keep the cash?
- [x] In a box that locks
  > Yes: out of sight and locked.
- [ ] On the counter
  > Anyone passing can take it.
? What do you write down for each sale? (several answers)
- [x] What was sold
  > Yes, to know your stock.
- [x] The price paid
  > Yes, to count the day's money.
- [ ] The customer's age
  > No need.
? When do you count the cash?
- [ ] Once a month
  > Too late to find a mistake.
- [x] Every evening
  > Yes: a mistake is still fresh.
? Who may take money from the box?
- [x] Only you
  > Yes.
- [ ] Anyone in the family
  > No: then nobody knows what is missing.
:::
"""

STOCK_FR = """\
---
id: shop-stock
title: Le stock
minutes: 5
---

Comptez le stock chaque semaine.
"""


@pytest.fixture
def shop(runner, tmp_path, admin):
    """A path with a four-question check (the second has two right answers), then a lesson in French only."""
    root = tmp_path / "courses"
    course_tree.write(root / "01-shop" / "path.yaml", PATH)
    course_tree.write(root / "01-shop" / "01-money.en.md", MONEY_EN)
    course_tree.write(root / "01-shop" / "02-stock.fr.md", STOCK_FR)
    result = runner.invoke(args=["import-courses", str(root)])
    assert result.exit_code == 0, result.output


def hidden_fields(page):
    form = re.search(r'<form[^>]*class="quiz-form"[^>]*>(.*?)</form>', page, re.S).group(1)
    return dict(re.findall(r'name="(event_id|csrf_token|language)" value="([^"]*)"', form))


def send_answers(client, answers):
    fields = hidden_fields(client.get("/lessons/shop-money").get_data(as_text=True))
    return client.post("/lessons/shop-money/check", data={**fields, **answers})


def fieldset(page, question):
    return re.search(rf'<fieldset[^>]* id="quiz-{question}"[^>]*>.*?</fieldset>', page, re.S).group(0)


def text_of(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_questions_left_out_come_back_with_her_answers_ticked_and_named(client, learner, sign_in, shop):
    sign_in("mariam")
    response = send_answers(client, {"q1": "a1", "q3": "a2"})
    assert response.status_code == 422  # the page shown again, not a redirect that would drop her answers
    page = response.get_data(as_text=True)
    assert re.search(r'id="quiz-q1-a1"[^>]* checked', page) and re.search(r'id="quiz-q3-a2"[^>]* checked', page)
    assert not re.search(r'id="quiz-q1-a2"[^>]* checked', page)
    summary = re.search(r'<div class="error-summary" id="quiz-errors"[^>]*>.*?</div>', page, re.S).group(0)
    assert 'tabindex="-1"' in summary and 'role="alert"' in summary
    assert "Answer every question before checking." in summary
    assert 'href="#quiz-q2-a1">Question 2 has no answer yet.' in summary
    assert 'href="#quiz-q4-a1">Question 4 has no answer yet.' in summary
    assert "Question 1 " not in summary and "Question 3 " not in summary
    assert page.count('class="error-summary"') == 1  # at the top of the form only, not again at the top of the page
    assert re.search(r'<form[^>]* action="/lessons/shop-money/check#quiz-errors"', page)  # focus goes to it on load
    assert "<title>Error: Money in the shop" in page

    second = fieldset(page, "q2")
    assert 'aria-invalid="true"' in second and re.search(r'aria-describedby="[^"]*quiz-q2-error', second)
    assert 'id="quiz-q2-error"' in second and "Tick at least one answer." in second
    assert 'aria-invalid' not in fieldset(page, "q1")
    assert db.session.execute(db.select(QuizAttempt)).first() is None
    # Showing the page again is not opening the lesson again.
    assert db.session.execute(db.select(db.func.count(ProgressEvent.id)).filter_by(type="lesson_opened")).scalar() == 1


def test_a_result_not_passed_says_the_score_first_and_each_question_in_words(client, learner, sign_in, shop):
    sign_in("mariam")
    response = send_answers(client, {"q1": "a1", "q2": ["a1"], "q3": "a1", "q4": "a1"})
    assert response.status_code == 302 and response.headers["Location"].endswith("#quiz-result")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    result = re.search(r'<div class="quiz-result[^"]*" id="quiz-result" tabindex="-1" role="status"[^>]*>(.*?)</div>',
                       page, re.S).group(1)
    assert text_of(result).startswith("You got 2 of 4 right: not passed yet, 70% needed.")
    verdicts = {q: text_of(re.search(r'class="verdict[^"]*"[^>]*>(.*?)</p>', fieldset(page, q)).group(1))
                for q in ("q1", "q2", "q3", "q4")}
    assert verdicts == {"q1": "✓ Right", "q2": "✗ Not right", "q3": "✗ Not right", "q4": "✓ Right"}
    assert re.search(r'aria-describedby="[^"]*quiz-q2-verdict', fieldset(page, "q2"))
    assert "You chose this: right. Yes, to know your stock." in text_of(fieldset(page, "q2"))
    assert "You chose this: not right. Too late to find a mistake." in text_of(fieldset(page, "q3"))
    # Not passed yet: the right answers she missed stay hidden, so the next try is hers.
    assert "Right answer, not chosen." not in page and "to count the day" not in page


def test_a_passed_result_marks_the_right_answers_she_did_not_choose(client, learner, sign_in, shop):
    sign_in("mariam")
    location = send_answers(client, {"q1": "a1", "q2": ["a1"], "q3": "a2", "q4": "a1"}).headers["Location"]
    page = client.get(location).get_data(as_text=True)
    result = re.search(r'id="quiz-result"[^>]*>(.*?)</div>', page, re.S).group(1)
    assert text_of(result).startswith("You got 3 of 4 right: passed.")
    second = fieldset(page, "q2")
    assert "Right answer, not chosen. Yes, to count the day's money." in text_of(second)
    assert re.search(r'id="quiz-q2-a2"[^>]* aria-describedby="quiz-q2-a2-note"', second)
    assert not re.search(r'id="quiz-q2-a2"[^>]* checked', second)
    assert "No need." not in second  # a wrong answer she did not choose needs no word


def test_a_check_in_another_language_than_hers_says_its_result_in_hers(client, learner, sign_in, course):
    sign_in("mariam")  # English interface, the French lesson
    fields = hidden_fields(client.get("/lessons/market-stall?lang=fr").get_data(as_text=True))
    location = client.post("/lessons/market-stall/check", data={**fields, "q1": "a2"}).headers["Location"]
    assert "lang=fr" in location
    page = client.get(location).get_data(as_text=True)
    assert '<section class="quiz" id="quiz" lang="fr">' in page
    result = re.search(r'id="quiz-result"[^>]* lang="en">(.*?)</div>', page, re.S).group(1)
    assert text_of(result).startswith("You got 0 of 1 right")
    assert re.search(r'<p class="verdict wrong" id="quiz-q1-verdict" lang="en">', page)
    assert '<strong lang="en">You chose this: not right.</strong> Non, ils font fuir.' in page


def test_the_check_address_opened_directly_leads_back_to_the_lesson(client, learner, sign_in, shop):
    sign_in("mariam")
    response = client.get("/lessons/shop-money/check")
    assert response.status_code == 302 and response.headers["Location"].endswith("/lessons/shop-money?step=last#quiz")


def test_a_lesson_shown_in_another_language_marks_its_titles_with_theirs(client, learner, sign_in, shop):
    sign_in("mariam")  # her interface is in English; this lesson exists in French only
    page = client.get("/lessons/shop-stock").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert re.search(r'<p class="crumbs"><a [^>]*lang="fr">Tenir la boutique</a>', page)
    assert re.search(r'<a rel="prev" [^>]*>← <span lang="en">Money in the shop</span></a>', page)
    assert '<article class="lesson" lang="fr">' in page
    english = client.get("/lessons/shop-money").get_data(as_text=True)
    assert re.search(r'<p class="crumbs"><a [^>]*lang="en">Running the shop</a>', english)
    assert re.search(r'<a rel="next" [^>]*><span lang="fr">Le stock</span> →</a>', english)
