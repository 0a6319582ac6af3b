"""Cohort forms: the cohort itself, adding members, bulk enrolment, joining with a code."""
from flask import current_app
from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import BooleanField, DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from lms.cohorts import enrolment
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


class PinSheetForm(FlaskForm):
    valid_days = SelectField(_l("The PINs work for"), coerce=int, default=7, choices=[
        SelectChoice(1, _l("1 day")), SelectChoice(7, _l("7 days")), SelectChoice(30, _l("30 days")),
        SelectChoice(0, _l("until I print new ones"))])


class BulkEnrolForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileAllowed(["csv", "txt"], _l("Choose a .csv file."))])
    text = TextAreaField(_l("…or paste the lines here"), validators=[Optional(), Length(max=600_000)])
    rows = None  # (rows, columns) read from the file or the pasted lines, once the form is valid
    text_read = None  # the text they were read from, carried to the confirmation step

    def validate_text(self, field):
        if not field.data and not self.file.data:
            raise ValidationError(_l("Choose a file or paste the lines."))

    def validate(self, extra_validators=None):
        """Also read the file (bounded) or the pasted lines: one that cannot be enrolled is an error on this form."""
        if not super().validate(extra_validators):
            return False
        config = current_app.config
        source = self.file if self.file.data else self.text
        try:
            text = (enrolment.read_upload(self.file.data.stream, config.get("ENROL_MAX_BYTES", enrolment.MAX_BYTES))
                    if self.file.data else enrolment.clean_text(self.text.data))
            self.rows = enrolment.read_rows(text, config.get("ENROL_MAX_ROWS", enrolment.MAX_ROWS))
            self.text_read = text
        except enrolment.EnrolmentFileError as error:
            source.errors.append(_file_error(error))
            return False
        return True


def _file_error(error):
    messages = {
        "empty": lambda: _("The file is empty: there is no learner in it."),
        "not_text": lambda: _("This is not a CSV text file. In your spreadsheet, use “Save as” and choose CSV."),
        "too_large": lambda: _("The file is larger than %(size)d KB: enrol the learners in several files.",
                               size=error.limit // 1024),
        "too_many_rows": lambda: _("The file has more than %(limit)d learners: enrol them in several files.",
                                   limit=error.limit),
        "bad_line": lambda: _("Line %(line)d cannot be read: one of its fields is too long (is a quote missing?).",
                              line=error.line),
    }
    return messages[error.code]() + " " + _("No account was created.")


class JoinForm(FlaskForm):
    code = StringField(_l("Cohort code"), validators=[DataRequired(), Length(max=20)],
                       render_kw={"autocapitalize": "characters", "autocomplete": "off"})


class PinSignInForm(FlaskForm):
    learner = SelectField(_l("Your name"), coerce=int, validators=[DataRequired()])
    pin = StringField(_l("Your PIN"), validators=[DataRequired(), Length(min=4, max=8)],
                      render_kw={"inputmode": "numeric", "autocomplete": "off"})
