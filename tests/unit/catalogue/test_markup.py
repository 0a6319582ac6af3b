"""The lesson format: blocks, knowledge checks, assignments, images, links, sanitising."""
from lms.catalogue.markup import LessonMarkup
from lms.catalogue.specs import Problems


def render(body, strict=True, images=None, links=None, language="en"):
    problems = Problems()
    markup = LessonMarkup("lesson.en.md", language, problems,
                          resolve_image=lambda src, line: (images or {}).get(src),
                          resolve_link=lambda target, line: (links or {}).get(target), strict=strict)
    return markup.render(body), problems


def test_callouts_become_labelled_boxes_in_the_lesson_language():
    result, problems = render("::: tip\nWater in the morning.\n:::\n\n::: warning\nNo card numbers.\n:::", language="fr")
    assert not problems
    assert '<div class="block block-tip">' in result.html
    assert '<p class="block-title">Astuce</p>' in result.html
    assert '<p class="block-title">Attention</p>' in result.html


def test_glossary_terms_become_a_definition_list():
    result, _ = render("::: glossary\nDomain name\n: The address of your site.\n:::")
    assert "<dt>Domain name</dt>" in result.html and "<dd>The address of your site.</dd>" in result.html


def test_a_single_choice_question_with_explanations():
    result, problems = render("::: quiz\n? Which is short?\n- [ ] a-very-long-name.com\n  > Too long.\n"
                              "- [x] awa.sn\n  > Short and local.\n:::")
    assert not problems
    question = result.quiz["questions"][0]
    assert question["multiple"] is False
    assert [a["correct"] for a in question["answers"]] == [False, True]
    assert question["answers"][1]["explanation_html"] == "Short and local."
    assert "Which is short" not in result.html  # the check is shown as a form, not as text


def test_several_right_answers_make_a_multiple_choice_question():
    result, _ = render("::: quiz\n? Pick two\n- [x] A\n  > yes\n- [X] B\n  > yes\n- [ ] C\n  > no\n:::")
    assert result.quiz["questions"][0]["multiple"] is True


def test_broken_quizzes_are_reported_with_their_lines():
    body = "Intro\n\n::: quiz\n- [x] answer first\n  > why\n? Question\n- [ ] only wrong\n- [ ] also wrong\n  > no\n:::"
    _, problems = render(body, strict=True)
    messages = {(p.line, p.message.split(" (")[0]) for p in problems.errors}
    assert (4, "answer before any question") in messages
    assert (6, "no right answer marked with '- [x]'") in messages
    assert (7, "this answer has no explanation") in messages


def test_an_unclosed_quiz_is_an_error_at_its_first_line():
    _, problems = render("Text\n\n::: quiz\n? Q\n- [x] a\n  > b\n")
    assert [(p.line, p.message) for p in problems.errors] == [(3, "'::: quiz' is never closed with ':::'")]


def test_assignment_says_what_to_hand_in():
    result, problems = render("::: assignment\nsubmit: photo, text\nPhotograph your stall.\n:::")
    assert not problems
    assert result.assignment["submit"] == ["photo", "text"]
    assert "Photograph your stall." in result.assignment["html"]


def test_assignment_errors():
    _, problems = render("::: assignment\nsubmit: video\nFilm it.\n:::\n\n::: assignment\nNo submit line.\n:::")
    messages = [p.message for p in problems.errors]
    assert any("not video" in m for m in messages)
    assert any("at most one assignment" in m for m in messages)


def test_unknown_blocks_are_errors_in_our_format_only():
    _, problems = render("::: recipe\nMix.\n:::")
    assert "unknown block '::: recipe'" in problems.errors[0].message
    result, problems = render("::: recipe\nMix.\n:::", strict=False)
    assert not problems and 'class="block block-recipe"' in result.html


def test_solutions_are_folded_behind_details():
    result, _ = render("::::: challenge\nDo it.\n\n:::: solution\nDone.\n::::\n:::::", strict=False)
    assert '<details class="block block-solution">' in result.html
    assert "<summary>Solution</summary>" in result.html


def test_dangerous_html_is_removed():
    body = ('<script>alert(1)</script>\n\n[click](javascript:alert(1))\n\n'
            '<img src="x.png" onerror="alert(1)">\n\n<iframe src="https://evil.example"></iframe>\n\n'
            '<a href="https://example.org" onclick="steal()">ok</a>')
    result, _ = render(body, strict=False)
    for bad in ("<script", "javascript:", "onerror", "<iframe", "onclick"):
        assert bad not in result.html
    assert 'href="https://example.org"' in result.html


def test_images_get_their_reduced_variant_size_and_lazy_loading():
    found = {"full": "/media/abc.png", "small": "/media/abc.720.png", "width": 720, "height": 480, "size": 10}
    result, problems = render("![A stall](stall.png)", images={"stall.png": found})
    assert not problems
    assert '<a class="image" href="/media/abc.png">' in result.html
    assert 'src="/media/abc.720.png"' in result.html and 'width="720"' in result.html
    assert 'loading="lazy"' in result.html and 'alt="A stall"' in result.html


def test_a_missing_image_is_an_error_with_its_line():
    _, problems = render("Text\n\n![A stall](stall.png)")
    assert [(p.line, p.message) for p in problems.errors] == [(3, "image not found: stall.png")]


def test_carpentries_alt_attributes_in_all_three_forms():
    found = {"full": "/media/f.png", "small": "/media/f.720.png", "width": 10, "height": 10, "size": 1}
    images = {"a.png": found, "b.png": found, "c.png": found}
    body = "![](a.png){alt='first'}\n\n![](b.png)\n{alt='second' .output}\n\n![alt='third' .output](c.png)"
    result, problems = render(body, strict=False, images=images)
    assert not problems
    for alt in ("first", "second", "third"):
        assert f'alt="{alt}"' in result.html
    assert "{alt" not in result.html and "alt=&#39;" not in result.html


def test_links_between_lessons_are_resolved_and_unknown_ones_reported():
    result, problems = render("See [prices](02-prices.md) and [nothing](03-gone.md).",
                              links={"02-prices.md": "/lessons/market-prices"})
    assert 'href="/lessons/market-prices"' in result.html
    assert problems.errors[0].message == "link to unknown lesson or file: 03-gone.md"


def test_code_blocks_keep_their_colons():
    result, problems = render("```\n::: tip\n```\n")
    assert not problems and "::: tip" in result.html


def test_headings_make_a_table_of_contents_and_words_are_counted():
    result, _ = render("## First part\n\nOne two three.\n\n### Detail\n\nFour.")
    assert [entry[:2] for entry in result.toc] == [[2, "first-part"], [3, "detail"]]
    assert result.words == 7


def test_remote_images_become_links_and_local_html_images_are_resolved():
    found = {"full": "/media/f.png", "small": "/media/f.720.png", "width": 10, "height": 10, "size": 1}
    body = ('<img width="300" alt="a screenshot" src="https://cloud.example/shot.png">\n\n'
            '<img src="fig/local.png" alt="local one">\n\n![remote](http://example.org/x.png)')
    result, problems = render(body, strict=False, images={"fig/local.png": found})
    assert not problems
    assert 'href="https://cloud.example/shot.png"' in result.html and "cloud.example/shot.png\"" not in result.html.split("<img")[-1]
    assert result.html.count("<img") == 1 and 'alt="local one"' in result.html
    assert 'src="http' not in result.html


def test_headings_inside_exercises_stay_out_of_the_table_of_contents():
    result, _ = render("## Part one\n\n::::: challenge\n## Exercise\n\nDo it.\n:::::\n\n## Part two\n", strict=False)
    assert [entry[2] for entry in result.toc] == ["Part one", "Part two"]
