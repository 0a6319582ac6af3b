"""The downloaded file: self-contained, hers, dated, and small enough for a phone's data plan."""
import re
from datetime import datetime
from pathlib import Path

import pytest

from lms.catalogue import queries as catalogue
from lms.catalogue.models import LearningPath
from lms.extensions import db
from lms.offline import build

COURSES = Path(__file__).resolve().parents[3] / "courses"
ACTION = "http://lms.centre:8080/offline/progress"
BUDGET = 150 * 1024
# Any attribute through which opening the file could fetch something.
TAG = re.compile(r"<[a-zA-Z][^>]*>")
FETCHING = re.compile(r'\s(?:src|href|action|formaction|srcset|poster|data|background)\s*=\s*["\']?([^"\'\s>]*)', re.I)
SCRIPT = re.compile(r"(<script\b[^>]*>)(.*?)</script>", re.S)


def outside_references(html):
    """Return the addresses in the file's tags that are neither inside it (#…) nor data: URIs; and check its script."""
    for _tag, code in SCRIPT.findall(html):
        assert not re.search(r"fetch\(|XMLHttpRequest|import\(|sendBeacon|WebSocket|EventSource|\.src\s*=", code)
    markup = SCRIPT.sub(lambda m: m.group(1), html)
    return [url for tag in TAG.findall(markup) for url in FETCHING.findall(tag) if not url.startswith(("#", "data:"))]


def test_the_file_holds_everything_it_shows(market, learner, request_as):
    with request_as(learner):
        made = build.build_file(learner, market, "en", ACTION)
    assert outside_references(made.html) == [ACTION]
    assert "url(" not in made.html.split("<style>")[1].split("</style>")[0]  # no font or image fetched by the CSS
    assert made.html.count("<img ") == 1
    image = re.search(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)" alt="A mango stall" width="720"', made.html)
    assert image and len(image.group(1)) > 100
    assert "@import" not in made.html


def test_with_save_data_images_are_left_out_with_a_line_saying_so(market, learner, request_as):
    with request_as(learner):
        made = build.build_file(learner, market, "en", ACTION, save_data=True)
    assert "data:image" not in made.html and "<img" not in made.html
    assert '<span class="image-left-out">Image left out to save data. A mango stall</span>' in made.html
    assert "Images were left out to save data." in made.html


def test_a_missing_image_is_left_out_not_fetched(app, market, learner, request_as):
    for image in (Path(app.instance_path) / "media").glob("*.720.png"):
        image.unlink()
    with request_as(learner):
        made = build.build_file(learner, market, "en", ACTION)
    assert "Image not included. A mango stall" in made.html
    assert outside_references(made.html) == [ACTION]


def test_images_past_the_files_budget_are_left_out(market, learner, request_as, monkeypatch):
    monkeypatch.setattr(build, "MAX_IMAGE_BYTES", 100)
    with request_as(learner):
        made = build.build_file(learner, market, "en", ACTION)
    assert "data:image" not in made.html and "Image not included. A mango stall" in made.html


def test_links_and_anchors_stay_inside_the_file():
    html = ('<h2 id="prices">Prices</h2><p><a href="#prices">up</a> <a href="/lessons/market-prices">next</a> '
            '<a href="/lessons/market-prices#afficher-les-prix">there</a> <a href="/lessons/elsewhere">away</a> '
            '<a href="https://example.org/shop">a shop</a> <a href="/media/abc-data.csv">data</a></p>')
    local = build.local_html(html, "market-stall", {"market-stall", "market-prices"}, save_data=False)
    assert local == ('<h2 id="market-stall-prices">Prices</h2><p><a href="#market-stall-prices">up</a> '
                     '<a href="#lesson-market-prices">next</a> <a href="#market-prices-afficher-les-prix">there</a> '
                     '<span class="link">away</span> <span class="link">a shop</span> '
                     '<span class="address">(https://example.org/shop)</span> <span class="link">data</span></p>')


def test_it_names_her_and_the_day_it_was_made(market, learner, request_as):
    with request_as(learner):
        made = build.build_file(learner, market, "fr", ACTION, now=datetime(2026, 12, 1, 9, 30))
    assert made.name == "market-fr-2026-12-01.html"
    assert "Mariam Camara" in made.html and "1 décembre 2026" in made.html
    assert "30 janvier 2027" in made.html  # until when it can send progress (60 days)
    with request_as(learner):
        assert "December 1, 2026" in build.build_file(learner, market, "en", ACTION, now=datetime(2026, 12, 1)).html


def test_her_name_is_escaped(market, learner, request_as):
    learner.display_name = "Awa <script>alert(1)</script>"
    with request_as(learner):
        made = build.build_file(learner, market, "en", ACTION)
    assert "<script>alert(1)" not in made.html and "Awa &lt;script&gt;" in made.html


def test_the_checks_answers_are_in_the_file_for_grading_there(market, learner, request_as):
    with request_as(learner):
        html = build.build_file(learner, market, "en", ACTION).html
    data = re.search(r'<script type="application/json" id="lms-data">(.*?)</script>', html, re.S).group(1)
    import json
    checks = json.loads(data)["checks"]
    assert checks["market-prices"] == {"language": "fr", "questions": {"q1": {"multiple": True, "right": ["a1", "a2"]}}}
    assert checks["market-stall"]["language"] == "en"
    assert "market-closing" not in checks
    assert json.loads(data)["pass"] == 70


@pytest.fixture
def our_courses(runner, admin):
    result = runner.invoke(args=["import-courses", str(COURSES)])
    assert result.exit_code == 0, result.output
    return db.session.execute(db.select(LearningPath).order_by(LearningPath.position)).scalars().all()


def test_every_path_of_ours_fits_the_budget_without_images(our_courses, learner, request_as):
    assert len(our_courses) == len(list(COURSES.glob("*/path.yaml"))) > 0
    with request_as(learner):
        for path in our_courses:
            for language in ("fr", "en"):
                made = build.build_file(learner, path, language, ACTION, save_data=True)
                assert made.size < BUDGET, (made.name, made.size)
                assert outside_references(made.html) == [ACTION]
                lessons = catalogue.active_lessons(path)
                assert made.html.count('<article class="lesson"') == len(lessons)
