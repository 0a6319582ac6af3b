"""How a rendered lesson is cut into steps: at its top-level headings, into one or two screens each."""
from lms.catalogue.steps import link_across_steps, reading_for, split_steps


def words(count, word="mot"):
    return "<p>" + " ".join([word] * count) + "</p>\n"


def test_each_long_section_is_a_step_and_the_introduction_opens_the_lesson():
    html = words(200, "intro") + '<h2 id="a">A</h2>\n' + words(200) + '<h2 id="b">B</h2>\n' + words(200)
    steps = split_steps(html)
    assert [(s.number, s.title) for s in steps] == [(1, ""), (2, "A"), (3, "B")]
    assert "".join(s.html for s in steps) == html  # nothing lost, nothing added


def test_short_sections_join_the_next_or_the_one_before_within_350_words():
    html = (words(40) + '<h2 id="a">A</h2>' + words(150) + '<h2 id="b">B</h2>' + words(300)
            + '<h2 id="c">C</h2>' + words(30))
    assert [s.words for s in split_steps(html)] == [40 + 1 + 150, 1 + 300 + 1 + 30]


def test_a_heading_inside_a_box_does_not_cut():
    html = (words(200) + '<div class="block block-challenge"><h2 id="x">Exercise</h2>' + words(200)
            + "</div>" + '<h2 id="y">After</h2>' + words(200))
    steps = split_steps(html)
    assert len(steps) == 2 and "Exercise" in steps[0].html and steps[1].title == "After"


def test_a_lesson_without_headings_is_one_step():
    assert len(split_steps(words(900))) == 1 and len(split_steps("")) == 1


def test_a_link_to_an_anchor_in_another_step_goes_to_that_step():
    html = words(200) + '<p><a href="#b">see B</a> <a href="#top">top</a></p><h2 id="b">B</h2>' + words(200)
    first, second = split_steps(html)
    relinked = link_across_steps(first, (first, second), lambda n: f"/lessons/x?step={n}")
    assert 'href="/lessons/x?step=2#b"' in relinked and 'href="#top"' in relinked


def test_the_address_asks_for_a_step_the_whole_lesson_or_the_last():
    assert (reading_for(None, 4).step, reading_for("all", 4).step, reading_for("last", 4).step) == (1, None, 4)
    assert reading_for("9", 4).step == 4 and reading_for("0", 4).step == 1
    assert reading_for("4", 4).reached_last_step and not reading_for("1", 1).reached_last_step
    assert reading_for("all", 4).at_end and not reading_for("2", 4).at_end


def test_a_link_to_an_anchor_in_another_lesson_goes_to_its_step_or_its_whole_page():
    from lms.catalogue.steps import link_other_lessons

    other = split_steps(words(200) + '<h2 id="late">Late</h2>' + words(200))
    html = '<a href="/lessons/other#late">a</a> <a href="/lessons/short#x">b</a> <a href="/lessons/gone#y">c</a>'
    known = {"other": other, "short": split_steps(words(10))}

    def url(slug, step, anchor):
        return f"/lessons/{slug}?step={step}#{anchor}"
    in_steps = link_other_lessons(html, known.get, url, whole=False)
    assert in_steps == ('<a href="/lessons/other?step=2#late">a</a> <a href="/lessons/short#x">b</a> '
                        '<a href="/lessons/gone#y">c</a>')
    assert 'href="/lessons/other?step=all#late"' in link_other_lessons(html, known.get, url, whole=True)
