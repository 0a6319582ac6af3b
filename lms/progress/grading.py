"""Grade a knowledge check on the server, question by question."""


def grade(quiz, answers, pass_mark):
    """Return (score %, passed, results) for answers {question id: [answer ids]}.

    A question is right when exactly the right answers are chosen. Results keep,
    per question, what was chosen and whether it was right.
    """
    questions = quiz.get("questions", [])
    results = {}
    right = 0
    for question in questions:
        chosen = sorted(set(answers.get(question["id"], [])))
        expected = sorted(a["id"] for a in question["answers"] if a["correct"])
        correct = chosen == expected
        right += correct
        results[question["id"]] = {"chosen": chosen, "correct": correct}
    score = round(100 * right / len(questions)) if questions else 0
    return score, score >= pass_mark, results


def check_answers(quiz, answers):
    """Return an error message when answers do not fit the quiz, else None."""
    if not isinstance(answers, dict):
        return "data.answers must be an object {question id: [answer ids]}"
    questions = {q["id"]: q for q in quiz.get("questions", [])}
    for question_id, chosen in answers.items():
        if question_id not in questions:
            return f"unknown question: {_shown(question_id)}"
        if not isinstance(chosen, list) or not all(isinstance(a, str) for a in chosen):
            return f"answers to {question_id} must be a list of answer ids"
        valid = {a["id"] for a in questions[question_id]["answers"]}
        if set(chosen) - valid:
            return f"unknown answer to {question_id}: {_shown(', '.join(sorted(set(chosen) - valid)))}"
        if not questions[question_id]["multiple"] and len(chosen) > 1:
            return f"{question_id} takes one answer"
    return None


def _shown(text, limit=40):
    """Quote what the client sent in an error message, cut short: the message goes back to it."""
    return text if len(text) <= limit else text[:limit] + "…"
