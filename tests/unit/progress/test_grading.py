"""Grading a knowledge check: a question is right only with exactly its right answers."""
from lms.progress.grading import check_answers, grade

QUIZ = {"questions": [
    {"id": "q1", "multiple": False, "answers": [{"id": "a1", "correct": True}, {"id": "a2", "correct": False}]},
    {"id": "q2", "multiple": True, "answers": [{"id": "a1", "correct": True}, {"id": "a2", "correct": True},
                                               {"id": "a3", "correct": False}]},
    {"id": "q3", "multiple": False, "answers": [{"id": "a1", "correct": False}, {"id": "a2", "correct": True}]},
]}


def test_all_right_passes():
    assert grade(QUIZ, {"q1": ["a1"], "q2": ["a2", "a1"], "q3": ["a2"]}, 70)[:2] == (100, True)


def test_partial_multiple_choice_is_wrong_and_the_pass_mark_decides():
    score, passed, results = grade(QUIZ, {"q1": ["a1"], "q2": ["a1"], "q3": ["a2"]}, 70)
    assert (score, passed) == (67, False)
    assert results["q2"] == {"chosen": ["a1"], "correct": False}
    assert grade(QUIZ, {"q1": ["a1"], "q2": ["a1"], "q3": ["a2"]}, 60)[1] is True


def test_unanswered_questions_count_as_wrong():
    assert grade(QUIZ, {}, 70)[:2] == (0, False)


def test_answers_that_do_not_fit_the_quiz_are_refused():
    assert check_answers(QUIZ, {"q1": ["a1", "a2"]}) == "q1 takes one answer"
    assert check_answers(QUIZ, {"q2": ["a9"]}) == "unknown answer to q2: a9"
    assert check_answers(QUIZ, {"q1": "a1"}) == "answers to q1 must be a list of answer ids"
    assert check_answers(QUIZ, ["a1"]).startswith("data.answers must be an object")
    assert check_answers(QUIZ, {"q1": ["a1"]}) is None
