"""Cohort forms: the cohort itself, adding members, bulk enrolment, joining with a code."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import BooleanField, DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from lms.core.i18n import LANGUAGE_NAMES


class CohortForm(FlaskForm):
    name = StringField(_l("Name of the cohort"), validators=[DataRequired(), Length(max=120)])
    paths = SelectMultipleField(_l("Learning paths"), validators=[DataRequired(_l("Choose at least one path."))],
                                coerce=int)
    language = SelectField(_l("Language of the sessions"),
                           choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()])
    starts_on = DateField(_l("Start date"), validators=[Optional()])
    ends_on = DateField(_l("End date"), validators=[Optional()])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=160)])
    pin_sign_in = BooleanField(_l("Learners may sign in with a PIN on a shared computer"))

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The end date comes before the start date."))


class AddMemberForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=40)])
    role = SelectField(_l("As"), choices=[SelectChoice("learner", _l("Learner")), SelectChoice("mentor", _l("Mentor"))])


class BulkEnrolForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileAllowed(["csv", "txt"], _l("Choose a .csv file."))])
    text = TextAreaField(_l("…or paste the lines here"), validators=[Optional(), Length(max=200_000)])

    def validate_text(self, field):
        if not field.data and not self.file.data:
            raise ValidationError(_l("Choose a file or paste the lines."))


class JoinForm(FlaskForm):
    code = StringField(_l("Cohort code"), validators=[DataRequired(), Length(max=20)],
                       render_kw={"autocapitalize": "characters", "autocomplete": "off"})


class PinSignInForm(FlaskForm):
    learner = SelectField(_l("Your name"), coerce=int, validators=[DataRequired()])
    pin = StringField(_l("Your PIN"), validators=[DataRequired(), Length(min=4, max=8)],
                      render_kw={"inputmode": "numeric", "autocomplete": "off"})
