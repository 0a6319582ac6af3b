"""Pages for a cohort's sessions: plan them, take attendance in one form, export it; learners check in by code."""
from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from lms.accounts.forms import EmptyForm
from lms.catalogue import queries as catalogue
from lms.cohorts import session_forms as forms, sessions
from lms.cohorts.services import CohortError
from lms.cohorts.sessions_models import CohortSession
from lms.cohorts.views import bp, managed_cohort
from lms.core.csvfile import csv_response
from lms.extensions import db

MESSAGES = {
    "session_incomplete": lambda: _("Give the session a date, a time and a topic."),
    "too_long": lambda: _("This text is too long."),
    "not_in_cohort": lambda: _("This is not part of the cohort."),
    "unknown_code": lambda: _("No session of your cohort has this code. Check it with your trainer."),
    "check_in_closed": lambda: _("Check-in is open from two hours before the session until the end of its day."),
    "not_started": lambda: _("This session has not started yet: the register opens two hours before it."),
}


def message(error):
    return MESSAGES.get(str(error), lambda: _("This change is not allowed."))()


def _lesson_choices(form, cohort):
    language = str(current_user.locale)
    form.lessons.choices = [SelectChoice(lesson.id, lesson.text(language)[0].title)
                            for path in cohort.paths for lesson in catalogue.active_lessons(path)]


@bp.route("/cohorts/<int:cohort_id>/sessions", methods=["GET", "POST"])
@login_required
def list_sessions(cohort_id):
    cohort = managed_cohort(cohort_id)
    form = forms.SessionForm()
    _lesson_choices(form, cohort)
    if form.validate_on_submit():
        chosen = [lesson for path in cohort.paths for lesson in catalogue.active_lessons(path)
                  if lesson.id in set(form.lessons.data or [])]
        try:
            session = sessions.create_session(current_user, cohort, datetime.combine(form.day.data, form.time.data),
                                              form.topic.data, form.place.data, chosen)
        except CohortError as error:
            flash(message(error), "error")
        else:
            db.session.commit()
            flash(_("Session planned. Its check-in code is %(code)s.", code=session.check_in_code), "success")
            return redirect(url_for("cohorts.take_attendance", cohort_id=cohort.id, session_id=session.id))
    grid_sessions, learners, marks = sessions.attendance_grid(cohort)
    present = {s.id: sum(1 for u in learners if marks.get((s.id, u.id))) for s in grid_sessions}
    return render_template("cohorts/sessions.html", cohort=cohort, form=form, sessions=list(reversed(grid_sessions)),
                           present=present, learners=learners)


def _session_of(cohort, session_id):
    session = db.session.get(CohortSession, session_id)
    if session is None or session.cohort_id != cohort.id:
        abort(404)
    return session


@bp.route("/cohorts/<int:cohort_id>/sessions/<int:session_id>", methods=["GET", "POST"])
@login_required
def take_attendance(cohort_id, session_id):
    """The register: everyone present by default, untick the absent, one submit for the whole room."""
    cohort = managed_cohort(cohort_id)
    session = _session_of(cohort, session_id)
    form = EmptyForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        ids = [int(v) for v in request.form.getlist("present") if v.isdigit()]
        try:
            sessions.take_attendance(current_user, session, ids)
        except CohortError as error:
            flash(message(error), "error")
        else:
            db.session.commit()
            count = len(set(ids))
            flash(ngettext("Attendance saved: %(num)d present.", "Attendance saved: %(num)d present.", count),
                  "success")
            return redirect(url_for("cohorts.list_sessions", cohort_id=cohort.id))
    register = sessions.register(session)
    return render_template("cohorts/attendance.html", cohort=cohort, session=session, form=form,
                           learners=sessions.learners_of(cohort), register=register, taken=bool(register),
                           open=sessions.register_open(session))


@bp.get("/cohorts/<int:cohort_id>/attendance.csv")
@login_required
def attendance_csv(cohort_id):
    cohort = managed_cohort(cohort_id)
    grid_sessions, learners, marks = sessions.attendance_grid(cohort)
    header = [_("Name"), _("Username")] + [f"{s.starts_at:%Y-%m-%d %H:%M} {s.topic}" for s in grid_sessions] \
        + [_("Present")]
    words = {True: _("present"), False: _("absent"), None: ""}
    rows = [[u.display_name, u.username] + [words[marks.get((s.id, u.id))] for s in grid_sessions]
            + [sum(1 for s in grid_sessions if marks.get((s.id, u.id)))] for u in learners]
    return csv_response(f"attendance-{cohort.id}.csv", header, rows)


@bp.route("/check-in", methods=["GET", "POST"])
@login_required
def check_in():
    """A learner types the code her trainer shows at the session."""
    form = forms.CheckInForm()
    if form.validate_on_submit():
        try:
            session = sessions.check_in(current_user, form.code.data)
        except CohortError as error:
            form.code.errors = [message(error)]
        else:
            db.session.commit()
            flash(_("You are checked in: %(topic)s.", topic=session.topic), "success")
            return redirect(url_for("cohorts.check_in"))
    return render_template("cohorts/check_in.html", form=form, attendance=sessions.attendance_of(current_user.id))
