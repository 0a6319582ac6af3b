"""Several server processes start at once and each finds the secret key missing."""
import multiprocessing
import secrets

from lms.core.files import create_once


def _make_key(path, queue):
    queue.put(create_once(path, lambda: secrets.token_bytes(32)))


def test_processes_racing_to_make_a_secret_all_end_with_the_same_one(tmp_path):
    path = tmp_path / "instance" / "secret_key"
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [context.Process(target=_make_key, args=(path, queue)) for _ in range(8)]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=30) for _ in workers]
    for worker in workers:
        worker.join()
    assert len(set(results)) == 1
    assert results[0] == path.read_bytes()
    assert sorted(p.name for p in path.parent.iterdir()) == ["secret_key"]
    assert path.stat().st_mode & 0o777 == 0o600


def test_an_existing_file_is_read_and_never_rewritten(tmp_path):
    path = tmp_path / "secret_key"
    path.write_bytes(b"kept")
    assert create_once(path, lambda: b"new") == b"kept"
