"""Two centres send their records to a hub on a USB stick: first, incremental, resumed, repeated, refused."""
import gzip

import pytest

from lms.accounts.models import User
from lms.cohorts.models import Cohort, Membership, MentorAssignment
from lms.extensions import db
from lms.progress.models import LessonProgress, ProgressEvent
from lms.sync import inbox, outbox
from lms.sync.models import SyncCentre, SyncConflict
from tests.functional.sync.conftest import activity, enrol, restore_sqlite, seed_cohort, sqlite_copy, sync_by_usb


@pytest.fixture
def dakar(make_centre, hub):
    centre = make_centre("dakar")
    enrol(hub, centre, "Dakar")
    centre.run(seed_cohort, "dk")
    return centre


def test_first_sync_brings_accounts_cohorts_and_progress_and_the_ack_empties_the_queue(hub, dakar, tmp_path):
    output = sync_by_usb(hub, dakar, tmp_path)
    assert "applied from centre Dakar" in output
    assert hub.count(User) == 4 + 0 and hub.count(Cohort) == 1 and hub.count(Membership) == 3
    assert hub.count(MentorAssignment) == 1 and hub.count(ProgressEvent) == 2
    with hub.app.app_context():
        learner = db.session.execute(db.select(User).filter_by(username="dk-learner0")).scalar_one()
        assert learner.origin is not None and learner.has_role("learner")
        progress = db.session.execute(db.select(LessonProgress).filter_by(user_id=learner.id)).scalar_one()
        assert progress.first_opened_at is not None  # derived at the hub from the events it received
        assert db.session.execute(db.select(SyncCentre)).scalar_one().acked_seq > 0
    assert dakar.run(outbox.waiting) == 0
    again = dakar.cli(["sync", "export", "--to", str(tmp_path / "next.lms")]).stdout
    assert "0 records" in again


def test_an_incremental_sync_carries_only_what_is_new(hub, dakar, tmp_path):
    sync_by_usb(hub, dakar, tmp_path, "first.lms")
    dakar.run(activity, "dk-learner1", "lesson_completed")
    exported = dakar.cli(["sync", "export", "--to", str(tmp_path / "second.lms")]).stdout
    assert "1 records" in exported
    hub.cli(["sync", "import", str(tmp_path / "second.lms")])
    assert hub.count(ProgressEvent) == 3
    with hub.app.app_context():
        learner = db.session.execute(db.select(User).filter_by(username="dk-learner1")).scalar_one()
        assert db.session.execute(db.select(LessonProgress).filter_by(user_id=learner.id)).scalar_one().completed_at


def test_an_edit_at_the_centre_reaches_the_hub_and_an_older_bundle_does_not_undo_it(hub, dakar, tmp_path):
    first = tmp_path / "first.lms"
    dakar.cli(["sync", "export", "--to", str(first)])
    hub.cli(["sync", "import", str(first)])

    def rename():
        db.session.execute(db.select(User).filter_by(username="dk-learner0")).scalar_one().display_name = "Awa Ndiaye"
    dakar.run(rename)
    dakar.cli(["sync", "export", "--to", str(tmp_path / "second.lms")])
    hub.cli(["sync", "import", str(tmp_path / "second.lms")])
    assert "already applied" in hub.cli(["sync", "import", str(first)]).stdout
    with hub.app.app_context():
        assert db.session.execute(db.select(User.display_name).filter_by(username="dk-learner0")).scalar() == "Awa Ndiaye"


def test_the_same_bundle_twice_and_bundles_out_of_order_change_nothing(hub, dakar, tmp_path):
    early, late = tmp_path / "early.lms", tmp_path / "late.lms"
    dakar.cli(["sync", "export", "--to", str(early)])
    dakar.run(activity, "dk-learner0", "lesson_completed")
    dakar.cli(["sync", "export", "--to", str(late)])  # no ack in between: it carries everything
    hub.cli(["sync", "import", str(late)])
    before = (hub.count(User), hub.count(Membership), hub.count(ProgressEvent), hub.count(LessonProgress))
    assert "already applied" in hub.cli(["sync", "import", str(late)]).stdout
    assert "already applied" in hub.cli(["sync", "import", str(early)]).stdout
    assert (hub.count(User), hub.count(Membership), hub.count(ProgressEvent), hub.count(LessonProgress)) == before
    assert before[2] == 3


def test_an_import_cut_in_the_middle_resumes_where_it_stopped(hub, dakar, tmp_path, monkeypatch):
    for n in range(6):
        dakar.run(activity, f"dk-learner{n % 2}", "time_spent", data={"seconds": 30 + n})
    monkeypatch.setattr(outbox, "CHUNK_SIZE", 3)
    bundle = tmp_path / "cut.lms"
    dakar.cli(["sync", "export", "--to", str(bundle)])
    real, calls = inbox.apply_chunk, []

    def power_cut(*args):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt  # the machine goes down during the third chunk
        return real(*args)
    monkeypatch.setattr(inbox, "apply_chunk", power_cut)
    with pytest.raises(KeyboardInterrupt):
        with hub.app.app_context():
            inbox.import_bundle(bundle)
    with hub.app.app_context():
        db.session.remove()
    assert hub.count(SyncCentre, chunks_done=2) == 1
    monkeypatch.setattr(inbox, "apply_chunk", real)
    hub.cli(["sync", "import", str(bundle)])
    assert hub.count(ProgressEvent) == 8 and hub.count(User) == 4 and hub.count(Membership) == 3
    assert hub.count(SyncCentre, chunks_done=0, bundle_id=None) == 1


def test_two_centres_with_the_same_usernames_both_arrive(hub, dakar, make_centre, tmp_path):
    thies = make_centre("thies")
    enrol(hub, thies, "Thiès")
    thies.run(seed_cohort, "dk")  # the same usernames, other people
    sync_by_usb(hub, dakar, tmp_path, "dakar.lms")
    sync_by_usb(hub, thies, tmp_path, "thies.lms")
    assert hub.count(User) == 8 and hub.count(Cohort) == 2 and hub.count(ProgressEvent) == 4
    assert hub.count(SyncCentre) == 2


def _rewrite(path, change):
    lines = gzip.decompress(path.read_bytes()).decode().splitlines(keepends=True)
    path.write_bytes(gzip.compress("".join(change(lines)).encode()))


def test_a_tampered_or_cut_bundle_is_refused_and_changes_nothing(hub, dakar, tmp_path):
    bundle = tmp_path / "bundle.lms"
    dakar.cli(["sync", "export", "--to", str(bundle)])
    _rewrite(bundle, lambda lines: [lines[0], lines[1].replace("dk-learner0", "dk-intruder")] + lines[2:])
    result = hub.cli(["sync", "import", str(bundle)], ok=False)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{bundle}:2: the signature does not match" in result.stderr
    assert hub.count(User) == 0 and hub.count(SyncCentre) == 0

    dakar.cli(["sync", "export", "--to", str(bundle)])
    _rewrite(bundle, lambda lines: lines[:-1])  # the end line lost
    result = hub.cli(["sync", "import", str(bundle)], ok=False)
    assert "cut short" in result.stderr and hub.count(User) == 0

    dakar.cli(["sync", "export", "--to", str(bundle)])
    bundle.write_bytes(bundle.read_bytes()[:-20])  # a copy interrupted
    result = hub.cli(["sync", "import", str(bundle)], ok=False)
    assert result.exit_code == 1 and "Traceback" not in result.output and hub.count(User) == 0


def test_bundles_from_unknown_revoked_or_for_another_hub_are_refused(hub, dakar, make_centre, tmp_path):
    stranger = make_centre("stranger")
    hub_id = hub.cli(["sync", "status"]).stdout.split()[1]
    stranger.cli(["sync", "register", f"{hub_id}-ABCD-EFGH-JKMN"])  # a code the hub never made
    stranger.run(seed_cohort, "st")
    stranger.cli(["sync", "export", "--to", str(tmp_path / "stranger.lms")])
    result = hub.cli(["sync", "import", str(tmp_path / "stranger.lms")], ok=False)
    assert "does not know" in result.stderr and hub.count(User) == 0

    other_hub = make_centre("other-hub")  # a second hub, for another programme
    other_hub.app.config["SITE_ROLE"] = "hub"
    dakar.cli(["sync", "export", "--to", str(tmp_path / "dakar.lms")])
    result = other_hub.cli(["sync", "import", str(tmp_path / "dakar.lms")], ok=False)
    assert "for another hub" in result.stderr

    sync_by_usb(hub, dakar, tmp_path, "first.lms")
    centre_id = dakar.run(lambda: __import__("lms.sync.keys", fromlist=["x"]).registration()["centre_id"])
    hub.cli(["sync", "revoke", centre_id])
    dakar.run(activity, "dk-learner0", "lesson_completed")
    dakar.cli(["sync", "export", "--to", str(tmp_path / "after.lms")])
    before = hub.count(ProgressEvent)
    result = hub.cli(["sync", "import", str(tmp_path / "after.lms")], ok=False)
    assert "was revoked" in result.stderr and hub.count(ProgressEvent) == before


def test_an_acknowledgement_from_another_hub_or_for_another_centre_is_refused(hub, dakar, make_centre, tmp_path):
    thies = make_centre("thies")
    enrol(hub, thies, "Thiès")
    thies.run(seed_cohort, "th")
    sync_by_usb(hub, dakar, tmp_path, "dakar.lms")
    thies.cli(["sync", "export", "--to", str(tmp_path / "thies.lms")])
    hub.cli(["sync", "import", str(tmp_path / "thies.lms")])
    result = dakar.cli(["sync", "import-ack", str(tmp_path / "thies.lms.ack")], ok=False)
    assert "for another centre" in result.stderr


def test_a_centre_restored_from_an_old_backup_resyncs_without_losing_or_doubling(hub, dakar, tmp_path):
    sync_by_usb(hub, dakar, tmp_path, "one.lms")
    backup = tmp_path / "backup.sqlite3"
    sqlite_copy(dakar.folder / "lms.sqlite3", backup)
    dakar.run(activity, "dk-learner0", "lesson_completed")
    dakar.run(activity, "dk-learner1", "lesson_completed")
    sync_by_usb(hub, dakar, tmp_path, "two.lms")
    assert hub.count(ProgressEvent) == 4

    restore_sqlite(dakar, backup)  # the disk died; last week's backup comes back
    dakar.run(activity, "dk-learner1", "time_spent", data={"seconds": 60})
    first = sync_by_usb(hub, dakar, tmp_path, "three.lms")
    assert "already applied" in first  # the hub has counted further; its acknowledgement tells the centre
    sync_by_usb(hub, dakar, tmp_path, "four.lms")
    assert hub.count(ProgressEvent) == 5
    assert dakar.run(outbox.waiting) == 0


def test_an_edit_of_a_record_another_centre_owns_is_kept_as_a_conflict_and_shown(hub, dakar, make_centre, tmp_path):
    sync_by_usb(hub, dakar, tmp_path, "dakar.lms")
    public_id = dakar.run(lambda: db.session.execute(
        db.select(User.public_id).filter_by(username="dk-learner0")).scalar())
    thies = make_centre("thies")
    enrol(hub, thies, "Thiès")

    def copy_with_an_edit():
        from tests import factories
        factories.user("aicha-copy", display_name="Aïcha (edited at Thiès)").public_id = public_id
    thies.run(copy_with_an_edit)
    sync_by_usb(hub, thies, tmp_path, "thies.lms")
    with hub.app.app_context():
        kept = db.session.execute(db.select(User).filter_by(public_id=public_id)).scalar_one()
        assert kept.username == "dk-learner0"
        conflict = db.session.execute(db.select(SyncConflict)).scalar_one()
        assert conflict.data["display_name"] == "Aïcha (edited at Thiès)"
    assert "owned by another centre" in hub.cli(["sync", "conflicts"]).stdout


def test_commands_on_the_wrong_kind_of_site_say_so(hub, dakar, tmp_path):
    result = hub.cli(["sync", "export", "--to", str(tmp_path / "x.lms")], ok=False)
    assert "runs on a centre" in result.stderr and "Traceback" not in result.output
    result = dakar.cli(["sync", "import", str(tmp_path / "missing.lms")], ok=False)
    assert "no such file" in result.stderr
    result = dakar.cli(["sync", "register", "not-a-code"], ok=False)
    assert "not an enrolment code" in result.stderr


def _learn_and_get_reviewed():
    """dk-learner0 passes both checks, hands in work, her mentor approves it: a certificate is issued."""
    from lms.catalogue.models import Lesson
    from lms.mentoring import services as mentoring
    from lms.progress import events

    learner = db.session.execute(db.select(User).filter_by(username="dk-learner0")).scalar_one()
    mentor = db.session.execute(db.select(User).filter_by(username="dk-mentor")).scalar_one()
    lessons = {lesson.slug: lesson for lesson in db.session.execute(db.select(Lesson)).scalars()}
    events.record_one(learner, lessons["market-stall"], "quiz_answered", data={"answers": {"q1": ["a1"]}, "language": "fr"})
    events.record_one(learner, lessons["market-prices"], "quiz_answered",
                      data={"answers": {"q1": ["a1", "a2"]}, "language": "fr"})
    events.record_one(learner, lessons["market-closing"], "lesson_completed")
    work = mentoring.submit_work(learner, lessons["market-stall"], text="Mon étal, bien rangé.")
    mentoring.review_work(mentor, work, "approved", "Très bien !")


def test_checks_practical_work_reviews_and_certificates_arrive_with_their_outcomes(hub, dakar, tmp_path):
    from lms.mentoring.models import Review, Submission
    from lms.progress.models import Certificate, QuizAttempt

    dakar.run(_learn_and_get_reviewed)
    assert dakar.count(QuizAttempt) == 2 and dakar.count(Review) == 1
    sync_by_usb(hub, dakar, tmp_path)
    assert hub.count(QuizAttempt) == 2 and hub.count(Submission, status="approved") == 1
    assert hub.count(Review, decision="approved") == 1
    assert hub.count(Certificate) == dakar.count(Certificate) == 1
    with hub.app.app_context():
        learner = db.session.execute(db.select(User).filter_by(username="dk-learner0")).scalar_one()
        progress = db.session.execute(db.select(LessonProgress).filter_by(user_id=learner.id)).scalars().all()
        assert sum(1 for p in progress if p.passed_at) >= 1  # attempts count at the hub as at the centre
        assert db.session.execute(db.select(Submission.photo)).scalar() is None
        # the language each was written in travels, so her work is read aloud in it wherever it is shown
        languages = db.session.execute(db.select(Submission.language, Review.language).join(Review)).one()
    with dakar.app.app_context():
        assert languages == db.session.execute(db.select(Submission.language, Review.language).join(Review)).one()
    assert None not in languages


def test_the_site_key_is_readable_by_the_server_only(hub):
    hub.cli(["sync", "status"])  # made on first use
    mode = (hub.folder / "sync" / "site_key.pem").stat().st_mode & 0o777
    assert mode == 0o600
