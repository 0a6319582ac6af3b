"""Weekly pairs by the round-robin "circle method": everyone meets everyone before any pair repeats.

Pure functions over member ids, so that the fairness test needs no database.
"""
from itertools import combinations


def rounds(members):
    """Return every round of the circle method for these members: a list of rounds, each a list of groups.

    With an even number n, n - 1 rounds of n/2 pairs cover every pair exactly once. With an odd number, a
    place for nobody is added and n rounds are made; the one paired with nobody joins the first pair as a
    third, so nobody is left alone and each member is in a trio once per cycle.
    """
    people = sorted(members)
    if len(people) < 2:
        return []
    if len(people) == 2:
        return [[tuple(people)]]
    if len(people) == 3:
        return [[tuple(people)]]
    slots = people + [None] if len(people) % 2 else list(people)
    n = len(slots)
    result = []
    for r in range(n - 1):
        order = [slots[0]] + slots[1:][-r:] + slots[1:][:-r] if r else list(slots)
        groups = [(order[i], order[n - 1 - i]) for i in range(n // 2)]
        alone = next((a if b is None else b for a, b in groups if None in (a, b)), None)
        groups = [g for g in groups if None not in g]
        if alone is not None:
            groups[0] = groups[0] + (alone,)
        result.append([tuple(sorted(g)) for g in groups])
    return result


def pairs_in(group):
    return {frozenset(p) for p in combinations(group, 2)}


def choose_round(members, met_counts, blocked=frozenset()):
    """Pick this week's groups: the round whose pairs have met least so far, never a blocked pair if avoidable.

    met_counts maps frozenset({a, b}) to how many weeks they were paired; blocked holds frozensets too.
    For a circle whose members do not change, this walks the cycle of rounds in order, so every pair
    meets once before any pair meets again. When someone joins or leaves, it still prefers new partners.
    """
    candidates = rounds(members)
    if not candidates:
        return []

    def cost(groups):
        pairs = [p for g in groups for p in pairs_in(g)]
        return (sum(p in blocked for p in pairs), sum(met_counts.get(p, 0) for p in pairs))

    best = min(range(len(candidates)), key=lambda i: (cost(candidates[i]), i))
    return _avoid_blocks(candidates[best], blocked)


def _avoid_blocks(groups, blocked):
    """Swap people between groups until no group holds a blocked pair (when a swap can fix it)."""
    groups = [list(g) for g in groups]
    for _ in range(len(groups) * 4):
        bad = next((i for i, g in enumerate(groups) if pairs_in(g) & blocked), None)
        if bad is None:
            break
        fixed = False
        for j in range(len(groups)):
            if j == bad:
                continue
            for a in range(len(groups[bad])):
                for b in range(len(groups[j])):
                    one, other = list(groups[bad]), list(groups[j])
                    one[a], other[b] = other[b], one[a]
                    if not (pairs_in(one) & blocked) and not (pairs_in(other) & blocked):
                        groups[bad], groups[j] = one, other
                        fixed = True
                        break
                if fixed:
                    break
            if fixed:
                break
        if not fixed:
            break
    return [tuple(sorted(g)) for g in groups]
