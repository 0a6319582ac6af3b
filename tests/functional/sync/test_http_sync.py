"""A centre syncs with the hub over HTTP: first, incremental, cut and resumed, refused, and the pull's decisions.

The hub's own test client is the network (an injected transport); one test goes through a real loopback server.
"""
import gzip
import json
import socket
import threading

import pytest
from werkzeug.serving import make_server

from lms.accounts.models import User
from lms.catalogue.models import LearningPath
from lms.cohorts.models import Membership
from lms.extensions import db
from lms.progress.models import Certificate, LessonProgress, ProgressEvent
from lms.sync import bundle, client, keys, outbox
from lms.sync.models import SyncCentre
from tests.functional.sync.conftest import HUB_URL, activity, certify, enrol, revoke_at_the_hub, seed_cohort

def centre_id(centre):
    with centre.app.app_context():
        return keys.registration()["centre_id"]


def test_the_first_sync_registers_the_centre_and_brings_its_records(hub, dakar, network):
    output = dakar.cli(["sync", "now"]).stdout
    assert "sent 11 records in 1 parts" in output
    assert hub.count(User) == 4 and hub.count(Membership) == 3 and hub.count(ProgressEvent) == 2
    with hub.app.app_context():
        centre = db.session.execute(db.select(SyncCentre)).scalar_one()
        assert centre.name == "Dakar" and centre.last_sync_at and centre.reported_seq == centre.acked_seq == 11
    assert dakar.run(outbox.waiting) == 0
    with dakar.app.app_context():
        assert keys.registration()["hub_key"] and not keys.registration()["enrol"]  # enrolment complete
    assert "sent 0 records in 0 parts" in dakar.cli(["sync", "now"]).stdout
    assert len(network.pushes) == 1  # nothing new: nothing pushed


def test_an_incremental_sync_sends_only_the_new_activity(hub, dakar, network):
    dakar.cli(["sync", "now"])
    dakar.run(activity, "dk-learner1", "lesson_completed")
    assert "sent 1 records in 1 parts" in dakar.cli(["sync", "now"]).stdout
    assert hub.count(ProgressEvent) == 3
    with hub.app.app_context():
        learner = db.session.execute(db.select(User).filter_by(username="dk-learner1")).scalar_one()
        assert db.session.execute(db.select(LessonProgress).filter_by(user_id=learner.id)).scalar_one().completed_at


def test_a_sync_cut_in_the_middle_resumes_at_the_next_part_and_nothing_is_lost_or_doubled(
        hub, dakar, network, monkeypatch):
    monkeypatch.setattr(outbox, "CHUNK_SIZE", 3)
    for n in range(6):
        dakar.run(activity, f"dk-learner{n % 2}", "time_spent", data={"seconds": 60 + n})
    network.cut_after = 2
    cut = dakar.cli(["sync", "now"], ok=False)
    assert cut.exit_code == 1
    assert f"The hub did not answer at {HUB_URL}: check the internet connection" in cut.stderr
    partial = hub.count(ProgressEvent)
    assert 0 < hub.count(User) and partial < 8
    with dakar.app.app_context():
        assert client.status()["errors"][0]["message"].startswith("The hub did not answer")
        assert outbox.waiting() == 17  # nothing acknowledged until the push's last part

    network.cut_after = None
    resumed = dakar.cli(["sync", "now"]).stdout
    assert "sent 11 records in 4 parts" in resumed  # parts 3-6 of 6: the first two are not sent again
    assert len(network.pushes) == 6
    assert hub.count(ProgressEvent) == 8 and hub.count(User) == 4 and hub.count(Membership) == 3
    assert dakar.run(outbox.waiting) == 0
    with dakar.app.app_context():
        assert client.status()["errors"] == [] and client.status()["last_success"]


def parts_of_a_push(centre):
    """The centre's whole push, as the parts `lms sync now` would send."""
    with centre.app.app_context():
        outbox.stamp()
        outbox.export(keys.sync_dir() / "whole.lms")
        header, parts = client._outgoing(keys.sync_dir() / "whole.lms")
        chunks = [item["records"] for _, item in bundle.read(keys.sync_dir() / "whole.lms",
                                                             lambda h: keys.public_key_text()) if "chunk" in item]
        db.session.commit()
        return [client._part(header, n, parts, records) for n, records in enumerate(chunks, start=1)]


def test_parts_out_of_order_are_refused_and_a_part_sent_twice_is_applied_once(hub, dakar, monkeypatch):
    monkeypatch.setattr(outbox, "CHUNK_SIZE", 4)
    first, second, third = parts_of_a_push(dakar)
    web = hub.app.test_client()
    early = web.post("/sync/push", data=second)
    assert early.status_code == 409
    assert early.get_json()["errors"][0]["error"] == "part 2 of a push the hub has not started: sync again from part 1"
    assert web.post("/sync/push", data=first).get_json()["ack"]["chunks_done"] == 1
    assert web.post("/sync/push", data=third).status_code == 409
    assert web.post("/sync/push", data=second).get_json()["ack"]["status"] == "applied"
    assert web.post("/sync/push", data=second).get_json()["ack"]["status"] == "already applied"
    done = web.post("/sync/push", data=third).get_json()["ack"]
    assert done["acked"] == 11 and done["chunks_done"] == 0 and done["bundle"] is None
    assert web.post("/sync/push", data=first).get_json()["ack"]["status"] == "already applied"
    assert hub.count(User) == 4 and hub.count(Membership) == 3 and hub.count(ProgressEvent) == 2


def test_a_tampered_part_is_refused_with_its_reason_and_changes_nothing(hub, dakar, network):
    body = parts_of_a_push(dakar)[0]
    lines = gzip.decompress(body).decode().splitlines()
    lines[1] = lines[1].replace("dk-learner0", "dk-intruder")
    tampered = gzip.compress(("\n".join(lines) + "\n").encode())
    response = hub.app.test_client().post("/sync/push", data=tampered)
    assert response.status_code == 403
    assert response.get_json() == {"errors": [{"line": 2, "error": (
        "the signature does not match: the file was changed or damaged, or it was not made by the centre it names")}]}
    assert hub.count(User) == 0 and hub.count(SyncCentre) == 0


def test_a_push_that_is_not_a_bundle_or_too_large_is_refused_in_words(hub, dakar):
    web = hub.app.test_client()
    garbage = web.post("/sync/push", data=b"hello")
    assert garbage.status_code == 400 and "damaged" in garbage.get_json()["errors"][0]["error"]
    hub.app.config["SYNC_MAX_PUSH_BYTES"] = 1000
    large = web.post("/sync/push", data=b"x" * 1001)
    assert large.status_code == 413 and large.get_json()["errors"][0]["error"] == "a part may weigh 1000 bytes at most"
    assert web.get("/sync/pull?since=-1", headers={"X-Sync-Centre": "x"}).status_code == 400


def test_a_pull_not_signed_by_the_centre_is_refused(hub, dakar):
    dakar.cli(["sync", "now"])
    forged = hub.app.test_client().get("/sync/pull?since=0", headers={
        "X-Sync-Centre": centre_id(dakar), "X-Sync-Signature": "A" * 86})
    assert forged.status_code == 403
    assert "not signed with the key the hub registered" in forged.get_json()["errors"][0]["error"]


def test_a_push_for_another_hub_is_refused(hub, dakar):
    def point_elsewhere():
        registration = keys.registration()
        keys.save_registration({**registration, "hub": "0123456789abcdef"})
    dakar.run(point_elsewhere)
    result = dakar.cli(["sync", "now"], ok=False)
    assert result.exit_code == 1
    assert "The hub refused the sync: this bundle is for another hub (0123456789abcdef)" in result.stderr
    assert hub.count(User) == 0


def test_a_revoked_centre_is_refused_and_keeps_what_it_sent(hub, dakar):
    dakar.cli(["sync", "now"])
    hub.cli(["sync", "revoke", centre_id(dakar)])
    dakar.run(activity, "dk-learner0", "lesson_completed")
    result = dakar.cli(["sync", "now"], ok=False)
    assert result.exit_code == 1 and "The hub refused the sync: centre Dakar was revoked on" in result.stderr
    assert hub.count(ProgressEvent) == 2 and hub.count(User) == 4
    with dakar.app.app_context():
        assert "revoked" in client.status()["errors"][0]["message"]


def test_a_certificate_revoked_by_the_programme_is_revoked_at_the_centre_by_the_next_pull(hub, dakar):
    dakar.run(certify, "dk-learner0", "DK-CERT-0001")
    dakar.cli(["sync", "now"])
    hub.run(revoke_at_the_hub, "DK-CERT-0001", "Copied practical work")

    output = dakar.cli(["sync", "now"]).stdout
    assert "1 decisions of the programme applied" in output
    with dakar.app.app_context():
        certificate = db.session.execute(db.select(Certificate).filter_by(code="DK-CERT-0001")).scalar_one()
        assert certificate.revoked_at and certificate.revoke_reason == "Copied practical work"
    with hub.app.app_context():  # the centre's copy came back revoked; the hub still names its coordinator
        certificate = db.session.execute(db.select(Certificate).filter_by(code="DK-CERT-0001")).scalar_one()
        assert certificate.revoked_at and certificate.revoked_by.username == "coordinatrice"
    assert "0 decisions of the programme applied" in dakar.cli(["sync", "now"]).stdout


def test_the_pull_tells_which_paths_the_hub_has_in_another_version(hub, dakar, tmp_path):
    dakar.cli(["sync", "now"])
    with hub.app.app_context():
        db.session.execute(db.select(LearningPath)).scalar_one().meta_hash = "changed at the hub"
        db.session.commit()
    output = dakar.cli(["sync", "now"]).stdout
    assert "the hub has other versions of these paths:" in output
    with dakar.app.app_context():
        assert [update["missing"] for update in client.status()["updates"]] == [False]


def test_without_a_hub_address_the_sync_says_what_to_set(make_centre, hub):
    centre = make_centre("thies")
    enrol(hub, centre, "Thiès")
    result = centre.cli(["sync", "now"], ok=False)
    assert result.exit_code == 1 and "set SYNC_HUB_URL in instance/config.py" in result.stderr


def resolving_to(*addresses):
    """Stand in for DNS: every name resolves to these addresses (no name resolves when there are none)."""
    def getaddrinfo(host, *args, **kwargs):
        if not addresses:
            raise socket.gaierror("Name or service not known")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, 0)) for address in addresses]
    return getaddrinfo


@pytest.mark.parametrize("url, addresses, allowed", [
    ("http://hub.example.org", ("93.184.216.34",), False),  # across the internet
    ("http://hub.example.org", ("192.168.1.20", "93.184.216.34"), False),  # one public address is enough
    ("http://hub.example.org", (), False),  # unknown: not shown to be local
    ("http://hub.lan:8080", ("192.168.1.20",), True),  # the programme's office, on the local network
    ("http://hub.lan", ("fe80::1%eth0",), True),
    ("https://hub.example.org", ("93.184.216.34",), True),
    ("http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]", (), False),  # Teredo: IPv6 carried over public IPv4
    ("http://hub.lan", ("::ffff:192.168.1.20",), True)])
def test_plain_http_to_a_hub_is_refused_beyond_the_local_network(make_centre, monkeypatch, url, addresses, allowed):
    centre = make_centre("thies")
    monkeypatch.setattr(client.socket, "getaddrinfo", resolving_to(*addresses))
    centre.app.config["SYNC_HUB_URL"] = url
    with centre.app.app_context():
        if allowed:
            assert client.hub_url() == url
        else:
            with pytest.raises(keys.SyncError, match="plain HTTP would carry learners' names and password hashes"):
                client.hub_url()
            centre.app.config["SYNC_ALLOW_PLAIN_HTTP"] = True  # a private network the centre vouches for
            assert client.hub_url() == url


@pytest.mark.parametrize("url, words", [
    ("http://x\\@10.0.0.5/", "without a name, password or backslash"),
    ("https://user:secret@hub.example.org", "without a name, password or backslash"),
    ("http://[::1", "this is not a web address")])
def test_a_hub_address_read_two_ways_is_refused(make_centre, url, words):
    centre = make_centre("thies")
    centre.app.config["SYNC_HUB_URL"] = url
    with centre.app.app_context(), pytest.raises(keys.SyncError, match=words):
        client.hub_url()


def test_a_hub_that_does_not_answer_is_said_in_words(make_centre, hub):
    centre = make_centre("thies")
    enrol(hub, centre, "Thiès")
    centre.app.config["SYNC_HUB_URL"] = "http://127.0.0.1:9"  # the discard port: nothing listens
    result = centre.cli(["sync", "now"], ok=False)
    assert result.exit_code == 1
    assert "The hub did not answer at http://127.0.0.1:9: check the internet connection" in result.stderr


def test_a_sync_through_a_real_loopback_server(make_centre, hub):
    server = make_server("127.0.0.1", 0, hub.app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        centre = make_centre("kaolack")
        enrol(hub, centre, "Kaolack")
        centre.run(seed_cohort, "kl")
        centre.app.config["SYNC_HUB_URL"] = f"http://127.0.0.1:{server.server_port}/"
        assert "sent 11 records in 1 parts" in centre.cli(["sync", "now"]).stdout
    finally:
        server.shutdown()
        thread.join()
    assert hub.count(User) == 4 and hub.count(ProgressEvent) == 2


def test_every_repeats_the_sync_and_goes_on_after_an_error(hub, dakar, network):
    said = []
    network.cut_after = 0
    with dakar.app.app_context():
        client.run_every(3600, echo=said.append, sleep=lambda seconds: setattr(network, "cut_after", None), rounds=2)
    assert said[0].startswith("sync: The hub did not answer") and said[1].startswith("sent 11 records")
    assert json.loads(dakar.run(outbox.get_state, "errors", "[]"))[0]["message"].startswith("The hub did not")


def test_a_hub_restored_from_an_older_backup_gets_again_what_it_lost(hub, dakar):
    dakar.cli(["sync", "now"])
    dakar.run(activity, "dk-learner1", "lesson_completed")
    dakar.cli(["sync", "now"])

    def restore_the_hub_to_before_the_second_sync():  # what a restore does to the hub's rows, on any database
        completed = db.session.execute(db.select(ProgressEvent).filter_by(type="lesson_completed")).scalar_one()
        db.session.execute(db.delete(LessonProgress).where(LessonProgress.user_id == completed.user_id))
        db.session.delete(completed)
        db.session.execute(db.select(SyncCentre)).scalar_one().acked_seq = 11
    hub.run(restore_the_hub_to_before_the_second_sync)
    assert hub.count(ProgressEvent) == 2

    assert "sent 1 records in 1 parts" in dakar.cli(["sync", "now"]).stdout
    assert hub.count(ProgressEvent) == 3
    with hub.app.app_context():
        assert db.session.execute(db.select(SyncCentre.acked_seq)).scalar() == 12


def test_status_says_when_the_last_sync_failed_and_a_bad_period_is_refused(hub, dakar, network):
    network.cut_after = 0
    dakar.cli(["sync", "now"], ok=False)
    status = dakar.cli(["sync", "status"]).stdout
    assert f"last sync over the internet: never (hub address: {HUB_URL})" in status
    assert "The hub did not answer" in status
    refused = dakar.cli(["sync", "now", "--every", "soon"], ok=False)
    assert refused.exit_code == 2 and "give a period such as 30m, 6h or 1d" in refused.stderr
