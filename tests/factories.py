"""Factories: one function per model, committing what they make."""
from lms.accounts import services as accounts
from lms.extensions import db

PASSWORD = "correct horse battery"


def user(username, roles=("learner",), password=PASSWORD, locale="en", **profile):
    made = accounts.create_user(username, password, roles=roles, locale=locale, **profile)
    db.session.commit()
    return made
