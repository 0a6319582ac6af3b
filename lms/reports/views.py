"""Report pages and their CSV exports."""
from datetime import timedelta

from flask import Blueprint, abort, render_template, request
from markupsafe import Markup, escape
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts.guards import role_required
from lms.catalogue import queries as catalogue
from lms.cohorts.models import Cohort
from lms.cohorts.policy import can_manage_cohort
from lms.core.csvfile import csv_response
from lms.core.clock import trusted_now
from lms.extensions import db
from lms.reports import chart, dashboard, overview, reach

bp = Blueprint("reports", __name__)

SHOWN_PER_GROUP = 20  # the rest of a group is one link away, in the grid filtered by its status

FUNNEL_STEPS = {
    "registered": lambda: _("Registered"),
    "started": lambda: _("Started a lesson"),
    "completed_one": lambda: _("Completed a lesson"),
    "half_a_path": lambda: _("Completed half a path"),
    "certificate": lambda: _("Earned a certificate"),
}


def _board(cohort_id):
    cohort = db.get_or_404(Cohort, cohort_id)
    if not can_manage_cohort(current_user, cohort):
        abort(403)
    return dashboard.build(cohort, str(current_user.locale))


def grid_cells(board, learners):
    """Return {learner id: her row of lesson cells as HTML}, each kind of cell written and escaped once.

    A page of the grid holds 2,000 cells; building them in the template cost most of its time.
    """
    states = {"done": _("done"), "started": _("in progress"), "none": _("not started")}
    works = {"submitted": _("work waiting for review"), "changes_requested": _("changes requested"),
             "approved": _("work approved")}
    score = _("score")
    made, rows = {}, {}
    for learner in learners:
        parts = []
        for lesson in board.lessons:
            cell = board.cell(learner.id, lesson.id)
            key = (cell.state, cell.work, cell.score)
            html = made.get(key)
            if html is None:
                classes = cell.state[0] + (f" w{cell.work[0]}" if cell.work else "")
                said = [states[cell.state]] + ([works[cell.work]] if cell.work else []) + \
                    ([score] if cell.score is not None else [])
                shown = "" if cell.score is None else f" {int(cell.score)}"
                html = made[key] = (f'<td class="{classes}"><span class="visually-hidden">{escape(", ".join(said))}'
                                    f"</span>{shown}</td>")
            parts.append(html)
        rows[learner.id] = Markup("".join(parts))
    return rows


@bp.get("/cohorts/<int:cohort_id>/dashboard")
@login_required
def cohort_dashboard(cohort_id):
    """Counts, who needs attention, the chart, and one page of the grid (filtered and sorted by GET)."""
    board = _board(cohort_id)
    selection = dashboard.select(board, request.args.get("q", ""), request.args.get("status", ""),
                                 request.args.get("sort", ""), request.args.get("page", 1, type=int) or 1)
    dashboard.load_cells(board, selection.learners)
    language = str(current_user.locale)
    graph = chart.bar_chart([(catalogue.localized(p.title, language), columns) for p, columns in board.paths],
                            board.lesson_percent)
    week_ago = trusted_now() - timedelta(days=dashboard.INACTIVE_DAYS)
    return render_template("reports/dashboard.html", board=board, chart=graph, selection=selection,
                           cells=grid_cells(board, selection.learners),
                           active_this_week=board.active_since(week_ago), shown=SHOWN_PER_GROUP,
                           localized=catalogue.localized, kinds=dashboard.KINDS)


@bp.get("/cohorts/<int:cohort_id>/dashboard.csv")
@login_required
def cohort_dashboard_csv(cohort_id):
    board = _board(cohort_id)
    dashboard.load_cells(board, board.learners)
    header = [_("Name"), _("Username"), _("Mentor"), _("Completed (%)"), _("Last activity")] + \
        [lesson.title for lesson in board.lessons]
    states = {"done": _("done"), "started": _("in progress"), "none": ""}
    rows = []
    for learner in board.learners:
        cells = []
        for lesson in board.lessons:
            cell = board.cell(learner.id, lesson.id)
            state = states[cell.state]
            if cell.score is not None:
                state = f"{state} ({cell.score}%)"
            cells.append(state)
        last = board.learner_last.get(learner.id)
        rows.append([learner.display_name, learner.username, board.mentors.get(learner.id, ""),
                     board.learner_percent(learner.id), last.strftime("%Y-%m-%d") if last else ""] + cells)
    return csv_response(f"cohort-{board.cohort.id}.csv", header, rows)


@bp.get("/reports/reach")
@role_required("trainer", "admin")
def reach_report():
    return render_template("reports/reach.html", report=reach.build(current_user), localized=catalogue.localized)


@bp.get("/reports/reach.csv")
@role_required("trainer", "admin")
def reach_csv():
    language = str(current_user.locale)
    rows = []
    for entry in reach.build(current_user):
        for country, path, direct, indirect in entry["rows"] or [("", None, 0, 0)]:
            rows.append([entry["trainer"].display_name, entry["trainer"].username, entry["certified_in_all"],
                         country, catalogue.localized(path.title, language) if path else "", direct, indirect])
    return csv_response("reach.csv", [_("Trainer"), _("Username"), _("Trainers certified (all levels)"), _("Country"),
                                      _("Learning path"), _("Learners reached directly"),
                                      _("Learners reached through her trainers")], rows)


@bp.get("/reports/overview")
@role_required("admin")
def programme_overview():
    return render_template("reports/overview.html", data=overview.build(), localized=catalogue.localized,
                           steps={step: label() for step, label in FUNNEL_STEPS.items()})


@bp.get("/reports/overview/<table>.csv")
@role_required("admin")
def overview_csv(table):
    data = overview.build()
    language = str(current_user.locale)
    if table == "countries":
        return csv_response("countries.csv", [_("Country"), _("Learners"), _("Lessons completed"), _("Certificates")],
                            data["by_country"])
    if table == "cohorts":
        return csv_response("cohorts.csv", [_("Cohort"), _("Lessons completed"), _("Certificates")], data["by_cohort"])
    if table == "paths":
        return csv_response("paths.csv", [_("Learning path"), _("Lessons completed"), _("Certificates")],
                            [(catalogue.localized(p.title, language), a, b) for p, a, b in data["by_path"]])
    if table == "funnel":
        return csv_response("funnel.csv", [_("Step"), _("Learners")],
                            [(FUNNEL_STEPS[step](), count) for step, count in data["funnel"]])
    abort(404)
