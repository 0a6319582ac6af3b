"""The hub's programme reports: the overview and the cascade across centres, with their CSV exports.

Only on a hub (SITE_ROLE=hub). The programme admin is an admin account made at the hub itself (origin None)
and sees every centre; an admin account that came from a centre is that centre's admin and sees her centre
only, whatever the query string says; anyone else is refused.
"""
from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from lms.accounts.guards import role_required
from lms.catalogue import queries as catalogue
from lms.core.csvfile import csv_response
from lms.core.templating import country_name
from lms.extensions import db
from lms.reports import programme
from lms.sync.models import SyncCentre

bp = Blueprint("programme", __name__, url_prefix="/programme")

TABLES = ("centres", "countries", "paths", "cohorts")


def _filters():
    """The reader's filters, her own centre imposed when she is a centre's admin; 404 outside a hub."""
    if str(current_app.config.get("SITE_ROLE") or "centre").lower() != "hub":
        abort(404)
    return programme.Filters.from_args(request.args, centre=current_user.origin)


def centre_names():
    names = {programme.LOCAL: _("The hub itself")}
    for centre_id, name in db.session.execute(db.select(SyncCentre.centre_id, SyncCentre.name)):
        names[centre_id] = name or centre_id[:8]
    return names


def _page_context(filters):
    names = centre_names()
    return {"filters": filters, "names": names, "choices": programme.choices(), "localized": catalogue.localized,
            "centre_admin": current_user.origin is not None,
            "centre_name": lambda key: names.get(key, key[:8])}


@bp.get("/")
@role_required("admin", centre_staff=True)
def overview():
    """The programme overview across centres, filtered by centre, country, cohort and path."""
    filters = _filters()
    data = programme.overview(filters)
    data["by_cohort"] = data["by_cohort"][:programme.SHOWN_COHORTS]
    context = _page_context(filters)
    data["by_centre"] = sorted(data["by_centre"].items(), key=lambda item: context["centre_name"](item[0]).lower())
    paths = {p.id: p for p in context["choices"]["paths"]}
    return render_template("reports/programme.html", data=data, paths=paths, shown=programme.SHOWN_COHORTS, **context)


@bp.get("/<table>.csv")
@role_required("admin", centre_staff=True)
def overview_csv(table):
    if table not in TABLES:
        abort(404)
    filters = _filters()
    data = programme.overview(filters)
    names, language = centre_names(), str(current_user.locale)
    counts = [_("Learners"), _("Active in the last 30 days"), _("Started a lesson"), _("Lessons completed"),
              _("Certificates")]

    def figures(row):
        return [row["learners"], row["active"], row["started"], row["completed"], row["certificates"]]

    if table == "centres":
        rows = [[names.get(key, key), key] + figures(row) for key, row in sorted(data["by_centre"].items())]
        return csv_response("programme-centres.csv", [_("Centre"), _("Centre id")] + counts, rows)
    if table == "countries":
        rows = [[country_name(key) if key else "", key] + figures(row)
                for key, row in sorted(data["by_country"].items())]
        return csv_response("programme-countries.csv", [_("Country"), _("Code")] + counts, rows)
    if table == "paths":
        paths = {p.id: p for p in programme.choices()["paths"]}
        rows = [[catalogue.localized(paths[key].title, language), paths[key].slug, row["started"], row["completed"],
                 row["certificates"]] for key, row in sorted(data["by_path"].items()) if key in paths]
        return csv_response("programme-paths.csv", [_("Learning path"), _("Id"), _("Started a lesson"),
                                                    _("Lessons completed"), _("Certificates")], rows)
    rows = [[cohort.name, names.get(cohort.origin or programme.LOCAL, cohort.origin), cohort.public_id, learners,
             done, certificates] for cohort, learners, done, certificates in data["by_cohort"]]
    return csv_response("programme-cohorts.csv", [_("Cohort"), _("Centre"), _("Id"), _("Learners"),
                                                  _("Lessons completed"), _("Certificates")], rows)


@bp.get("/cascade")
@role_required("admin", centre_staff=True)
def cascade():
    """The cascade across centres: each trainer once, her centres, the learners she reached."""
    filters = _filters()
    return render_template("reports/programme_cascade.html", report=programme.cascade(filters),
                           **_page_context(filters))


@bp.get("/cascade.csv")
@role_required("admin", centre_staff=True)
def cascade_csv():
    filters = _filters()
    names = centre_names()
    rows = [[entry["trainer"].display_name, entry["trainer"].public_id,
             ", ".join(names.get(c, c) for c in entry["certified_at"]),
             ", ".join(names.get(c, c) for c in entry["runs_at"]),
             entry["certified_in_all"], entry["direct"], entry["indirect"]]
            for entry in programme.cascade(filters)["entries"]]
    return csv_response("programme-cascade.csv", [
        _("Trainer"), _("Id"), _("Certified at"), _("Runs cohorts at"), _("Trainers certified (all levels)"),
        _("Learners reached directly"), _("Learners reached through her trainers")], rows)
