"""The file's token: what it allows, for how long, and what voids it."""
from datetime import timedelta

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from lms.accounts import services as accounts
from lms.catalogue import queries as catalogue
from lms.core.database import utcnow
from lms.extensions import db
from lms.offline import tokens


def issued_days_ago(monkeypatch, days, user, path):
    """Issue a token as if it had been made `days` ago."""
    real = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real(self) - int(days * 86400))
    token = tokens.issue_token(user, path, catalogue.active_lessons(path))
    monkeypatch.setattr(TimestampSigner, "get_timestamp", real)
    return token


def test_a_token_allows_her_and_the_lessons_of_one_path(app, market, learner):
    token = tokens.issue_token(learner, market, catalogue.active_lessons(market))
    grant = tokens.read_token(token)
    assert grant.user.id == learner.id
    assert grant.path_id == market.id
    assert grant.lesson_ids == {lesson.id for lesson in market.lessons}
    assert abs(grant.issued_at - utcnow()) < timedelta(seconds=5)


def test_a_token_lasts_the_configured_number_of_days(app, market, learner, monkeypatch):
    assert app.config["OFFLINE_FILE_TOKEN_DAYS"] == 60
    assert tokens.read_token(issued_days_ago(monkeypatch, 59, learner, market)).user.id == learner.id
    with pytest.raises(tokens.TokenError) as refused:
        tokens.read_token(issued_days_ago(monkeypatch, 61, learner, market))
    assert refused.value.reason == "expired"
    app.config["OFFLINE_FILE_TOKEN_DAYS"] = 7
    with pytest.raises(tokens.TokenError):
        tokens.read_token(issued_days_ago(monkeypatch, 8, learner, market))


def test_signing_out_of_all_devices_voids_the_files_made_before(app, market, learner, monkeypatch):
    old = issued_days_ago(monkeypatch, 1, learner, market)
    same_second = tokens.issue_token(learner, market, market.lessons)
    learner.sessions_revoked_at = utcnow()
    db.session.commit()
    for token in (old, same_second):
        with pytest.raises(tokens.TokenError) as refused:
            tokens.read_token(token)
        assert refused.value.reason == "revoked"
    learner.sessions_revoked_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert tokens.read_token(tokens.issue_token(learner, market, market.lessons)).user.id == learner.id


def test_a_closed_account_voids_her_files(app, market, learner):
    token = tokens.issue_token(learner, market, market.lessons)
    learner.active = False
    db.session.commit()
    with pytest.raises(tokens.TokenError) as refused:
        tokens.read_token(token)
    assert refused.value.reason == "inactive"


@pytest.mark.parametrize("change", [
    lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # the signature
    lambda token: "x" + token[1:],  # the payload
    lambda token: "",
    lambda token: "not a token at all",
    lambda token: token * 200,  # absurdly long
])
def test_a_tampered_token_gives_no_right(app, market, learner, change):
    token = tokens.issue_token(learner, market, market.lessons)
    with pytest.raises(tokens.TokenError) as refused:
        tokens.read_token(change(token))
    assert refused.value.reason == "unreadable"


def test_her_token_cannot_be_turned_into_another_learners(app, market, learner, trainer):
    serializer = URLSafeTimedSerializer(app.secret_key, salt=tokens.SALT)
    mine = tokens.issue_token(learner, market, market.lessons)
    payload = serializer.loads(mine)
    assert payload["u"] == learner.id
    # Rewriting the payload for another user, without the site's key, breaks the signature.
    forged = URLSafeTimedSerializer("guessed key", salt=tokens.SALT).dumps({**payload, "u": trainer.id})
    with pytest.raises(tokens.TokenError):
        tokens.read_token(forged)
    # Her signature on Fatou's payload does not hold either.
    fatous_payload = serializer.dumps({**payload, "u": trainer.id}).split(".")[0]
    with pytest.raises(tokens.TokenError):
        tokens.read_token(".".join([fatous_payload, *mine.split(".")[1:]]))
    # Fatou's own token speaks for Fatou only.
    assert tokens.read_token(tokens.issue_token(trainer, market, market.lessons)).user.id == trainer.id


def test_other_signed_things_of_the_site_are_not_file_tokens(app, market, learner):
    same_key_other_purpose = URLSafeTimedSerializer(app.secret_key, salt="lms-other").dumps(
        {"u": learner.id, "p": market.id, "l": [lesson.id for lesson in market.lessons]})
    with pytest.raises(tokens.TokenError):
        tokens.read_token(same_key_other_purpose)
    wrong_shape = URLSafeTimedSerializer(app.secret_key, salt=tokens.SALT).dumps(["u", learner.id])
    with pytest.raises(tokens.TokenError):
        tokens.read_token(wrong_shape)


def test_a_token_for_someone_deleted_gives_no_right(app, market, learner):
    other = accounts.create_user("gone", "une phrase de passe", roles=("learner",), display_name="Gone")
    db.session.commit()
    token = tokens.issue_token(other, market, market.lessons)
    db.session.delete(other)
    db.session.commit()
    with pytest.raises(tokens.TokenError) as refused:
        tokens.read_token(token)
    assert refused.value.reason == "inactive"
