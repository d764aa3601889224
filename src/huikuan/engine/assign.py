"""Choosing pairs among candidates: the part of matching that is not a join.

Both backends hand the same candidate table (sorted here, so input order never matters) to these
functions, and get the same pairs back.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

import pyarrow as pa

from huikuan.engine.rules import Relation, Rule


@dataclass(frozen=True)
class Pick:
    """One chosen group: its members by side and whether the choice was unique."""

    left: tuple[int, ...]
    right: tuple[int, ...]
    unique: bool


def assign_pairs(candidates: pa.Table, rule: Rule) -> list[Pick]:
    """1:1 assignment within amount + date-window candidates.

    Left records are taken in time order (ts, uid); each takes the available right record with
    the smallest amount difference, then the earliest time, then the smallest uid. With equal
    amounts and one window width this is the maximum matching and it never crosses: the nth
    payout pairs with the nth credit. A pair is *unique* when neither record had any other
    candidate.
    """
    if candidates.num_rows == 0:
        return []
    rows = sorted(zip(*(candidates[c].to_pylist() for c in
                        ("lts", "luid", "rts", "ruid", "lamt", "ramt")), strict=True))
    target = 1 if rule.relation == "equal" else -1
    by_left: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    left_order: list[int] = []
    right_degree: dict[int, int] = defaultdict(int)
    for _lts, luid, rts, ruid, lamt, ramt in rows:
        if luid not in by_left:
            left_order.append(luid)
        by_left[luid].append((abs(ramt - target * lamt), rts, ruid))
        right_degree[ruid] += 1
    taken: set[int] = set()
    picks = []
    for luid in left_order:
        options = sorted(by_left[luid])
        for _, _, ruid in options:
            if ruid not in taken:
                taken.add(ruid)
                unique = len(options) == 1 and right_degree[ruid] == 1
                picks.append(Pick((luid,), (ruid,), unique))
                break
    return picks


def assign_subsets(candidates: pa.Table, rule: Rule) -> list[Pick]:
    """Bounded n:1 (or 1:n) subset search: which 2..k parts add up to a whole.

    Wholes are taken in time order; parts closest in time are tried first and at most
    ``rule.max_candidates`` of them are considered, so the search stays small. A found subset is
    *unique* when no other subset of the candidates also fits.
    """
    if candidates.num_rows == 0:
        return []
    cols = ("whole_ts", "whole_uid", "whole_amt", "part_ts", "part_uid", "part_amt")
    rows = sorted(zip(*(candidates[c].to_pylist() for c in cols), strict=True))
    parts_of: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    wholes: list[tuple[int, int, int]] = []
    for whole_ts, whole_uid, whole_amt, part_ts, part_uid, part_amt in rows:
        if not parts_of[whole_uid]:
            wholes.append((whole_ts, whole_uid, whole_amt))
        parts_of[whole_uid].append((part_ts, part_uid, part_amt))
    used: set[int] = set()
    picks = []
    for whole_ts, whole_uid, whole_amt in wholes:
        parts = [p for p in parts_of[whole_uid] if p[1] not in used]
        parts.sort(key=lambda p: (abs(whole_ts - p[0]), p[0], p[1]))
        parts = parts[: rule.max_candidates]
        found = _subsets(parts, _goal(whole_amt, rule.relation), rule.tolerance_minor, rule.max_items)
        if not found:
            continue
        chosen = found[0]
        used.update(chosen)
        members = tuple(sorted(chosen))
        if rule.direction == "n:1":
            picks.append(Pick(members, (whole_uid,), len(found) == 1))
        else:
            picks.append(Pick((whole_uid,), members, len(found) == 1))
    return picks


def _goal(whole_amt: int, relation: Relation) -> int:
    """The sum the parts must reach, in the parts' sign."""
    return whole_amt if relation == "equal" else -whole_amt


def _subsets(parts: list[tuple[int, int, int]], goal: int, tolerance: int, k: int) -> list[list[int]]:
    """Up to two subsets (size 2..k) whose amounts sum to ``goal`` ± tolerance, smallest first.
    Two are enough to know whether the answer is unique."""
    found: list[list[int]] = []
    for size in range(2, k + 1):
        for combo in combinations(parts, size):
            if abs(sum(p[2] for p in combo) - goal) <= tolerance:
                found.append([p[1] for p in combo])
                if len(found) == 2:
                    return found
    return found
