"""Mentoring forms: handing in work, reviewing it, writing down a meeting."""
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, RadioField, TextAreaField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, URL


def with_scheme(value):
    """'facebook.com/awa.plats' as typed on a phone becomes 'https://facebook.com/awa.plats': she need not
    type the https:// a browser's address bar hides from her."""
    value = (value or "").strip()
    if value and "://" not in value and re.match(r"^[\w-]+(\.[\w-]+)+(/\S*)?$", value):
        return "https://" + value
    return value


class SubmissionForm(FlaskForm):
    text = TextAreaField(_l("Your answer"), validators=[Optional(), Length(max=10_000)])
    link = URLField(_l("A link (your page, your post…)"), filters=[with_scheme],
                    validators=[Optional(), URL(require_tld=False, message=_l("Type a full address, starting with https://")),
                                Length(max=500)])
    photo = FileField(_l("A photo"), render_kw={"accept": "image/*", "capture": "environment"})
    voice_note = FileField(_l("A voice note"), render_kw={"accept": "audio/*", "capture": True})


class ReviewForm(FlaskForm):
    decision = RadioField(_l("Your decision"), validators=[DataRequired(_l("Choose approve or ask for changes."))],
                          choices=[SelectChoice("approved", _l("Approve")),
                                   SelectChoice("changes_requested", _l("Ask for changes"))])
    feedback = TextAreaField(_l("Feedback for her"), validators=[Optional(), Length(max=10_000)])
    voice_note = FileField(_l("A voice note for her"), render_kw={"accept": "audio/*", "capture": True})


class NoteForm(FlaskForm):
    met_on = DateField(_l("Date of the meeting"), validators=[DataRequired()])
    notes = TextAreaField(_l("What you talked about"), validators=[Optional(), Length(max=10_000)])
    next_steps = TextAreaField(_l("Next steps agreed"), validators=[Optional(), Length(max=5_000)])
