"""Forms for a cohort's sessions: plan one, check in with its code."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectMultipleField, StringField, TimeField
from wtforms.validators import DataRequired, Length, Optional


class SessionForm(FlaskForm):
    day = DateField(_l("Date"), validators=[DataRequired()])
    time = TimeField(_l("Time"), validators=[DataRequired()])
    topic = StringField(_l("Topic"), validators=[DataRequired(), Length(max=200)])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=160)])
    lessons = SelectMultipleField(_l("Lessons of the session"), coerce=int, validators=[Optional()])


class CheckInForm(FlaskForm):
    code = StringField(_l("Session code"), validators=[DataRequired(), Length(max=12)])
