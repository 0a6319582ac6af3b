"""The hub admin's enrolment-code form (the other sync forms carry only their CSRF token)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp


class EnrolCodeForm(FlaskForm):
    name = StringField(_l("Centre's name"), validators=[DataRequired(), Length(max=120)])
    country = StringField(_l("Country (two letters, e.g. SN)"),
                          validators=[Optional(), Regexp(r"^[A-Za-z]{2}$", message=_l("Two letters, e.g. SN."))])
