"""The directory of entrepreneurs' pages: browse with filters, join or change her profile, leave at once."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts.forms import EmptyForm
from lms.community import directory, forms
from lms.community.errors import CommunityError
from lms.community.models import DirectoryProfile
from lms.community.views import bp, message, photos_folder, remove_photo, save_photo, whatsapp_link
from lms.extensions import db
from lms.media import private_files



@bp.get("/directory")
@login_required
def show_directory():
    trade, town, country = (request.args.get(name, "")[:80] for name in ("trade", "town", "country"))
    page = request.args.get("page", 1, type=int) or 1
    profiles, total = directory.search(trade, town, country, page)
    trades, towns, countries = directory.choices()
    greeting = _("Hello, I found your business in the programme's directory.")
    links = {p.id: whatsapp_link(p.whatsapp, greeting) for p in profiles if p.whatsapp}
    return render_template("community/directory.html", profiles=profiles, total=total, page=page, trade=trade,
                           town=town, country=country, trades=trades, towns=towns, countries=countries, links=links,
                           mine=directory.profile_of(current_user.id), page_size=directory.PAGE_SIZE)


FIELD_OF = {"bad_phone": "whatsapp"}  # the field a refusal is shown on (else the first one)


@bp.route("/directory/me", methods=["GET", "POST"])
@login_required
def edit_profile():
    if current_user.session_kind == "pin":
        abort(403)
    profile = directory.profile_of(current_user.id)
    form = forms.ProfileForm(obj=profile) if profile else forms.ProfileForm(
        data={"business_name": current_user.organisation or "", "whatsapp": current_user.phone or ""})
    if form.validate_on_submit():
        photo = None
        try:
            photo = save_photo(form.photo, "directory")
            old = profile.photo if profile and photo else None
            directory.save_profile(current_user, photo=photo, **{name: form[name].data for name in directory.LIMITS})
        except (CommunityError, ValueError) as error:
            db.session.rollback()
            remove_photo("directory", photo)
            field = form[FIELD_OF.get(str(error), "business_name")] if isinstance(error, CommunityError) else form.photo
            field.errors = list(field.errors) + [message(error)]
        else:
            db.session.commit()
            remove_photo("directory", old)
            flash(_("Your profile is in the directory."), "success")
            return redirect(url_for("community.show_directory"))
    return render_template("community/profile.html", form=form, profile=profile, action_form=EmptyForm())


@bp.post("/directory/leave")
@login_required
def leave_directory():
    if not EmptyForm().validate_on_submit():
        abort(400)
    photo = directory.leave_directory(current_user)
    db.session.commit()
    remove_photo("directory", photo)
    flash(_("You left the directory. Your profile is no longer shown."), "success")
    return redirect(url_for("community.show_directory"))


@bp.get("/directory/photos/<name>")
@login_required
def directory_photo(name):
    profile = db.session.execute(db.select(DirectoryProfile).where(DirectoryProfile.photo == name)).scalars().first()
    if profile is None or not profile.user.active:
        abort(404)
    return private_files.send_private(photos_folder("directory"), name)
