"""Community forms: a post (with the id that makes it count once), moderation, pairs, the directory."""
import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from lms.community.conversations import MAX_LENGTH, REASON_MAX


def chosen(field):
    """Whether a file field came with a file (a form sent without one has an empty part)."""
    return bool(field.data and getattr(field.data, "filename", None))


class PostForm(FlaskForm):
    """A post or a reply, written or spoken. post_id is made when the form is shown: sent twice, it is stored once."""

    empty = _l("Write something first.")
    post_id = HiddenField(default=lambda: str(uuid.uuid4()))
    reply_to = HiddenField()
    body = TextAreaField(_l("Your message"), validators=[Length(max=MAX_LENGTH)])
    photo = FileField(_l("Photo (optional)"))
    voice_note = FileField(_l("Voice note (optional)"), render_kw={"accept": "audio/*", "capture": True})

    def validate_body(self, field):
        if not (field.data or "").strip() and not chosen(self.voice_note):
            raise ValidationError(self.empty)


class QuestionForm(PostForm):
    """Shown on the lesson beside the practical-work form, so its voice note field has its own id."""

    empty = _l("Write your question first.")
    body = TextAreaField(_l("Your question"), validators=[Length(max=MAX_LENGTH)])
    voice_note = FileField(_l("Voice note (optional)"), id="question_voice_note",
                           render_kw={"accept": "audio/*", "capture": True})


class ReasonForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=REASON_MAX)])


class TalkForm(FlaskForm):
    learned = StringField(_l("What I learned"), validators=[Optional(), Length(max=280)])


class ChoicesForm(FlaskForm):
    pairing = BooleanField(_l("Give me a partner from my circle each week"))
    share_phone = BooleanField(_l("My circle may see my WhatsApp link"))


class ProfileForm(FlaskForm):
    business_name = StringField(_l("Business name"), validators=[DataRequired(), Length(max=120)])
    trade = StringField(_l("Trade"), validators=[DataRequired(), Length(max=80)])
    town = StringField(_l("Town"), validators=[DataRequired(), Length(max=80)])
    offer = TextAreaField(_l("What I sell or offer"), validators=[Optional(), Length(max=500)])
    looking_for = TextAreaField(_l("What I am looking for"), validators=[Optional(), Length(max=500)])
    help_with = TextAreaField(_l("What I can help with (mentors and trainers)"),
                              validators=[Optional(), Length(max=500)])
    whatsapp = StringField(_l("WhatsApp number (optional)"), validators=[Optional(), Length(max=32)])
    photo = FileField(_l("Photo (optional)"))
