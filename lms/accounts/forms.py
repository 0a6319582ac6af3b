"""Account forms: sign-in, registration, setup, password and profile."""
import re
import unicodedata

from flask_babel import get_locale, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, SelectMultipleField, StringField, TelField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from lms.accounts.models import ROLES
from lms.accounts.services import USERNAME_PATTERN
from lms.core.i18n import LANGUAGE_NAMES

USERNAME_RULE = Regexp(f"^{USERNAME_PATTERN.pattern}$", message=_l(
    "3 to 40 letters, digits, dots, dashes or underscores, starting with a letter or digit."))
PASSWORD_LENGTH = Length(min=8, max=200, message=_l("At least 8 characters."))


# The programme's countries open the list: most people pick one of them.
PROGRAMME_COUNTRIES = ("SN", "CI", "GN", "RW")
NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}  # groupings and test codes among Babel's territories


def country_choices():
    """Return (code, name) pairs for every country, named in the current language, the programme's first."""
    from babel import Locale

    territories = Locale.parse(str(get_locale() or "fr")).territories
    names = {code: name for code, name in territories.items() if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES}
    first = [SelectChoice(code, names[code]) for code in PROGRAMME_COUNTRIES if code in names]
    rest = sorted((code for code in names if code not in PROGRAMME_COUNTRIES), key=lambda code: collation_key(names[code]))
    return [SelectChoice("", "—")] + first + [SelectChoice(code, names[code]) for code in rest]


def collation_key(name):
    """Sort as a reader expects: accents after the plain letter, not after Z ("Égypte" near "Équateur", not last)."""
    plain = unicodedata.normalize("NFKD", name)
    return ("".join(c for c in plain if not unicodedata.combining(c)).casefold(), name)


def language_choices():
    return [SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()]


def validate_phone(_form, field):
    if field.data and not re.fullmatch(r"\+?[0-9 ().-]{6,24}", field.data.strip()):
        raise ValidationError(_l("Digits only, with an optional + in front."))


class SignInForm(FlaskForm):
    username = StringField(_l("Username or phone number"), validators=[DataRequired(), Length(max=40)],
                           render_kw={"autocomplete": "username", "autocapitalize": "none"})
    password = PasswordField(_l("Password or one-time code"), validators=[DataRequired()],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Stay signed in on this device"))


class CodeSignInForm(FlaskForm):
    """A one-time code is read off a slip: shown as typed, in any case, with or without its dash."""
    username = SignInForm.username
    password = StringField(_l("One-time code"), validators=[DataRequired(), Length(max=20)],
                           render_kw={"autocomplete": "one-time-code", "autocapitalize": "characters",
                                      "spellcheck": "false"})


class ProfileFields:
    display_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)],
                               render_kw={"autocomplete": "name"})
    locale = SelectField(_l("Language"), choices=language_choices())
    country = SelectField(_l("Country"), validators=[Optional()])
    organisation = StringField(_l("Business or organisation (optional)"), validators=[Optional(), Length(max=160)])
    phone = TelField(_l("Phone number (optional)"), validators=[Optional(), validate_phone],
                     render_kw={"autocomplete": "tel"})
    email = EmailField(_l("Email (optional)"), validators=[Optional(), Length(max=254)],
                       render_kw={"autocomplete": "email"})

    def fill_choices(self):
        self.country.choices = country_choices()


class RegistrationForm(ProfileFields, FlaskForm):
    username = StringField(_l("Choose a username"), validators=[DataRequired(), USERNAME_RULE],
                           render_kw={"autocomplete": "username", "autocapitalize": "none"})
    password = PasswordField(_l("Choose a password"), validators=[DataRequired(), PASSWORD_LENGTH],
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Type the password again"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
                            render_kw={"autocomplete": "new-password"})
    join_code = StringField(_l("Cohort code (optional)"), validators=[Optional(), Length(max=20)],
                            render_kw={"autocapitalize": "characters", "autocomplete": "off"})


class SetupForm(RegistrationForm):
    """The first administrator."""

    join_code = None


class ProfileForm(ProfileFields, FlaskForm):
    save_data = BooleanField(_l("Save data: show lesson images only when I tap them"))


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()],
                            render_kw={"autocomplete": "current-password"})
    password = PasswordField(_l("New password"), validators=[DataRequired(), PASSWORD_LENGTH],
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Type the new password again"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
                            render_kw={"autocomplete": "new-password"})


ROLE_LABELS = {
    "learner": _l("Learner"),
    "mentor": _l("Mentor"),
    "trainer": _l("Trainer"),
    "admin": _l("Administrator"),
}


class RolesForm(FlaskForm):
    roles = SelectMultipleField(_l("Roles"), choices=[SelectChoice(role, ROLE_LABELS[role]) for role in ROLES])


class NewUserForm(ProfileFields, FlaskForm):
    """An administrator creates an account; she gets a one-time code, never a password typed by someone else."""
    username = StringField(_l("Username"), validators=[DataRequired(), USERNAME_RULE],
                           render_kw={"autocapitalize": "none", "autocomplete": "off"})
    roles = SelectMultipleField(_l("Roles"), default=["learner"],
                                choices=[SelectChoice(role, ROLE_LABELS[role]) for role in ROLES],
                                validators=[DataRequired(_l("Choose at least one role."))])


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change something."""
