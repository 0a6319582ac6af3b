"""Weekly pairs rotate fairly: everyone meets everyone before any pair repeats; odd circles make a trio."""
from itertools import combinations

import pytest

from lms.community.pairing import choose_round, pairs_in, rounds


def simulate(members, weeks, blocked=frozenset()):
    met, history = {}, []
    for _ in range(weeks):
        groups = choose_round(members, met, blocked)
        history.append(groups)
        for group in groups:
            for pair in pairs_in(group):
                met[pair] = met.get(pair, 0) + 1
    return history


def cycle_length(n):
    return n - 1 if n % 2 == 0 else n


@pytest.mark.parametrize("n", [4, 5, 6, 7, 8, 9])
def test_every_week_everyone_has_a_partner_and_nobody_twice(n):
    members = list(range(100, 100 + n))
    for groups in simulate(members, 2 * cycle_length(n)):
        seen = [m for g in groups for m in g]
        assert sorted(seen) == members
        assert all(2 <= len(g) <= 3 for g in groups)
        assert sum(len(g) == 3 for g in groups) == n % 2  # a trio only in an odd circle


@pytest.mark.parametrize("n", [4, 6, 8])
def test_even_circles_meet_everyone_once_before_any_pair_repeats(n):
    history = simulate(list(range(n)), 2 * cycle_length(n))
    first = [pairs_in(g).pop() for week in history[:cycle_length(n)] for g in week]
    assert len(first) == len(set(first)) == n * (n - 1) // 2
    second = [pairs_in(g).pop() for week in history[cycle_length(n):] for g in week]
    assert set(second) == set(first)  # the next cycle starts only once every pair has met


@pytest.mark.parametrize("n", [5, 7, 9])
def test_odd_circles_pair_each_two_once_per_cycle_and_nobody_is_left_alone(n):
    history = simulate(list(range(n)), cycle_length(n))
    everyone = {frozenset(p) for p in combinations(range(n), 2)}
    met = set().union(*(pairs_in(g) for week in history for g in week))
    assert met == everyone
    # The circle method's two-person cores never repeat within the cycle.
    cores = [frozenset(g) for week in history for g in week if len(g) == 2]
    assert len(cores) == len(set(cores))
    trios = [m for week in history for g in week if len(g) == 3 for m in g]
    assert all(trios.count(m) >= 1 for m in range(n))
    assert len(history) == len(rounds(range(n)))


def test_a_blocked_pair_is_never_made():
    blocked = frozenset({frozenset({1, 2})})
    for groups in simulate(list(range(6)), 10, blocked):
        assert not any(pairs_in(g) & blocked for g in groups)


def test_a_circle_of_one_has_no_pair_and_of_three_a_trio():
    assert choose_round([7], {}) == []
    assert choose_round([1, 2, 3], {}) == [(1, 2, 3)]
