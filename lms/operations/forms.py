"""The two forms of the operations pages: back up now, and set the clock."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import InputRequired, Length


class BackupNowForm(FlaskForm):
    """Only a button: the CSRF token is the whole form."""


class SetClockForm(FlaskForm):
    moment = StringField(_l("Date and time now"), validators=[InputRequired(), Length(max=40)],
                         render_kw={"type": "datetime-local", "step": "60"})
    offset = HiddenField()  # filled by the page's script with the phone's offset from UTC
