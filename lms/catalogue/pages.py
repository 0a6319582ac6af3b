"""The lesson page, rendered for the catalogue's own view and again by the domains whose forms it holds.

A lesson is read in steps (`/lessons/<slug>`, `?step=2`…), or whole on one page (`?step=all`).
Steps are a query string of the lesson's own address, so every step is the same page to the
service worker's rules and to the forms' actions; `?step=last` is where the lesson's forms are.
"""
from flask import abort, redirect, render_template, request, url_for
from flask_babel import get_locale

from lms.catalogue import queries
from lms.catalogue.steps import StepNotFound, link_across_steps, link_other_lessons, reading_for, split_steps
from lms.core.hooks import collect_page_context


def render_lesson(lesson, wanted=None, status=200, **form_state):
    """Render a lesson page in the wanted language, with the state of a form on it that came back with errors.

    Higher domains own the forms on this page (the check, the practical work). When one comes back
    with errors they show the page again with what she entered, instead of a redirect that would
    lose it; form_state goes to their page_context receivers, which know what to do with it. The
    forms are on the lesson's last step, so that is the step shown again.
    """
    wanted = wanted or request.args.get("lang") or str(get_locale())
    text, fallback = lesson.text(wanted)
    if text is None:
        abort(404)
    steps = split_steps(text.html)
    asked = "last" if request.method != "GET" else request.args.get("step")
    try:
        reading = reading_for(asked, len(steps))
    except StepNotFound:
        abort(404)

    def step_url(number, **extra):
        return url_for("catalogue.show_lesson", slug=lesson.slug, lang=request.args.get("lang"),
                       step=None if number == 1 else number, **extra)

    if asked not in (None, "", "all", "last") and (asked == "1" or str(reading.step) != asked):
        return redirect(step_url(reading.step))  # one address per step: the one the phone keeps
    previous, following = queries.neighbours(lesson)
    context = collect_page_context("catalogue.show_lesson", lesson=lesson, text=text, reading=reading, **form_state)
    html = context.pop("content_html", text.html)  # e.g. images as links, to save data
    if reading.step is not None:
        shown = split_steps(html) if html is not text.html else steps
        html = link_across_steps(shown[reading.step - 1], shown, step_url)
    html = link_other_lessons(html, _steps_finder(lesson, text, steps), _lesson_anchor_url, whole=reading.step is None)
    return render_template("catalogue/lesson.html", lesson=lesson, text=text, fallback=fallback, wanted=wanted,
                           languages=sorted(t.language for t in lesson.texts), previous=previous,
                           following=following, localized=queries.localized,
                           localized_language=queries.localized_language, language=text.language,
                           reading=reading, steps=steps, step_url=step_url, content_html=html,
                           **context), status


def _steps_finder(lesson, text, steps):
    """Return steps_of(slug) for the lessons this one links to, in its language, each looked up once."""
    found = {lesson.slug: steps}

    def steps_of(slug):
        if slug not in found:
            other = queries.get_lesson(slug)
            other_text = other.text(text.language)[0] if other is not None and other.retired_at is None else None
            found[slug] = split_steps(other_text.html) if other_text else None
        return found[slug]
    return steps_of


def _lesson_anchor_url(slug, step, anchor):
    return url_for("catalogue.show_lesson", slug=slug, step=step, _anchor=anchor)
