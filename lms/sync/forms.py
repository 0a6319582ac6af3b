"""The hub admin's enrolment-code form and the centre's USB acknowledgement upload (the other sync forms carry only
their CSRF token)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import MultipleFileField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp


class EnrolCodeForm(FlaskForm):
    name = StringField(_l("Centre's name"), validators=[DataRequired(), Length(max=120)])
    country = StringField(_l("Country (two letters, e.g. SN)"),
                          validators=[Optional(), Regexp(r"^[A-Za-z]{2}$", message=_l("Two letters, e.g. SN."))])


class AcknowledgementForm(FlaskForm):
    """The hub's acknowledgement from the USB stick, with the course archives of the folder beside it."""
    ack = FileField(_l("The acknowledgement (a file ending in .ack)"),
                    validators=[FileRequired(_l("Choose the acknowledgement file from the USB stick."))],
                    render_kw={"accept": ".ack"})
    courses = MultipleFileField(_l("The courses beside it (optional: every file of the folder ending in .courses)"),
                                render_kw={"accept": ".gz,.tar.gz,application/gzip"})
