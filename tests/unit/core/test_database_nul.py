"""Bound text never carries a NUL to the database: PostgreSQL refuses it, SQLite would keep it."""
from lms.core.database import _without_nul


def test_nul_in_a_bound_string_becomes_the_replacement_character():
    statement, parameters = _without_nul(None, None, "SELECT", {"slug": "a\x00b", "n": 3}, None, False)
    assert parameters == {"slug": "a\ufffdb", "n": 3}
    _, rows = _without_nul(None, None, "INSERT", [("x\x00", 1), ("y", 2)], None, True)
    assert rows == [("x\ufffd", 1), ("y", 2)]


def test_clean_parameters_are_passed_on_untouched():
    parameters = {"slug": "market-stall"}
    assert _without_nul(None, None, "SELECT", parameters, None, False)[1] is parameters
