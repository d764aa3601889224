"""Choosing pairs among candidates: the part of matching that is not a join.

Both backends hand the same candidate table (sorted here, so input order never matters) to these
functions, and get the same pairs back.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

import pyarrow as pa

from huikuan.domain.calendar import auto_deadline
from huikuan.engine.rules import Relation, Rule


@dataclass(frozen=True)
class Pick:
    """One chosen group: its members by side and whether the choice was unique."""

    left: tuple[int, ...]
    right: tuple[int, ...]
    unique: bool


#: a chain of equal amounts larger than this (left × right records) is paired in time order
#: without proving which pairs are forced: every pair of it is then at most suggested
MAX_CHAIN_CELLS = 4_096


def assign_pairs(candidates: pa.Table, rule: Rule) -> list[Pick]:
    """1:1 assignment within amount + date-window candidates.

    Candidates form chains: records linked by a possible pairing (the same amount, within the
    window). Within a chain both sides are taken in time order (ts, uid) and paired without
    crossing — banks credit in the order money was sent — choosing the largest number of pairs,
    then the smallest amount differences, then the shortest delays. So one late credit never
    shifts a chain of equal amounts: the nth payout of an amount pairs with the nth credit.

    A pair is *unique* when it is beyond doubt: with ``ties = "suggest"`` when neither record had
    another candidate; with ``ties = "time_order"`` when every best pairing of its chain contains
    it (time order decides it). A pair later than the rule's ``auto_days`` (counted over working
    days) is never unique.
    """
    if candidates.num_rows == 0:
        return []
    target = 1 if rule.relation == "equal" else -1
    cols = ("luid", "ruid", "lts", "rts", "lday", "rday", "lamt", "ramt")
    edges: dict[tuple[int, int], tuple[int, int, int]] = {}
    when: dict[tuple[str, int], tuple[int, int]] = {}
    degree: dict[tuple[str, int], int] = defaultdict(int)
    chains = _Chains()
    for luid, ruid, lts, rts, lday, rday, lamt, ramt in zip(
            *(candidates[c].to_pylist() for c in cols), strict=True):
        edges[luid, ruid] = (abs(ramt - target * lamt), rday - lday, abs(rts - lts))
        when["L", luid] = (lts, lday)
        when["R", ruid] = (rts, rday)
        degree["L", luid] += 1
        degree["R", ruid] += 1
        chains.join(("L", luid), ("R", ruid))
    picks = []
    for members in chains.groups():
        lefts = sorted((when[m][0], m[1]) for m in members if m[0] == "L")
        rights = sorted((when[m][0], m[1]) for m in members if m[0] == "R")
        ls, rs = [u for _, u in lefts], [u for _, u in rights]
        pairs, forced = _pair_chain(ls, rs, edges, prove=rule.ties == "time_order")
        for luid, ruid in pairs:
            if rule.ties == "time_order":
                certain = (luid, ruid) in forced
            else:
                certain = degree["L", luid] == 1 and degree["R", ruid] == 1
            if certain and rule.auto_days is not None:
                lday, rday = when["L", luid][1], when["R", ruid][1]
                certain = rday <= auto_deadline(lday, rule.auto_days, rule.calendar)
            picks.append(Pick((luid,), (ruid,), certain))
    picks.sort(key=lambda p: p.left)
    return picks


class _Chains:
    """Union-find over records: which records one possible pairing or another links."""

    def __init__(self) -> None:
        self.parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(self, node: tuple[str, int]) -> tuple[str, int]:
        root = node
        while self.parent.setdefault(root, root) != root:
            root = self.parent[root]
        while self.parent[node] != root:  # path compression
            self.parent[node], node = root, self.parent[node]
        return root

    def join(self, a: tuple[str, int], b: tuple[str, int]) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> list[list[tuple[str, int]]]:
        found: dict[tuple[str, int], list[tuple[str, int]]] = defaultdict(list)
        for node in list(self.parent):
            found[self.find(node)].append(node)
        return [found[root] for root in sorted(found)]


Cost = tuple[int, int, int, int]  # (−pairs, amount difference, days late, seconds apart)
_NONE: Cost = (0, 0, 0, 0)


def _best(ls: list[int], rs: list[int], edges: dict[tuple[int, int], tuple[int, int, int]],
          banned: tuple[int, int] | None = None) -> tuple[Cost, list[tuple[int, int]]]:
    """The best non-crossing pairing of ``ls`` with ``rs`` (both in time order): most pairs,
    then least amount difference, then fewest days late, then fewest seconds apart. Ties go to
    the earliest records, so the answer does not depend on anything but the data."""
    n, m = len(ls), len(rs)
    # best[i][j]: the best cost pairing ls[:i] with rs[:j]; move[i][j] how it was reached
    best = [[_NONE] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        row, above = best[i], best[i - 1]
        for j in range(1, m + 1):
            choice, how = min((above[j], 1), (row[j - 1], 2))
            edge = edges.get((ls[i - 1], rs[j - 1]))
            if edge is not None and (ls[i - 1], rs[j - 1]) != banned:
                d = above[j - 1]
                paired = (d[0] - 1, d[1] + edge[0], d[2] + edge[1], d[3] + edge[2])
                if paired < choice:
                    choice, how = paired, 3
            row[j], move[i][j] = choice, how
    pairs = []
    i, j = n, m
    while i and j:
        how = move[i][j]
        if how == 3:
            pairs.append((ls[i - 1], rs[j - 1]))
            i, j = i - 1, j - 1
        elif how == 1:
            i -= 1
        else:
            j -= 1
    pairs.reverse()
    return best[n][m], pairs


def _pair_chain(ls: list[int], rs: list[int], edges: dict[tuple[int, int], tuple[int, int, int]],
                *, prove: bool) -> tuple[list[tuple[int, int]], set[tuple[int, int]]]:
    """The chain's pairs and (with ``prove``) those of them that every pairing with as many
    pairs contains: taking any other choice would leave a record unpaired."""
    if len(ls) * len(rs) > MAX_CHAIN_CELLS:
        return _in_time_order(ls, rs, edges), set()
    cost, pairs = _best(ls, rs, edges)
    if not prove:
        return pairs, set()
    forced = {pair for pair in pairs if _best(ls, rs, edges, banned=pair)[0][0] > cost[0]}
    return pairs, forced


def _in_time_order(ls: list[int], rs: list[int], edges: dict[tuple[int, int], tuple[int, int, int]]
                   ) -> list[tuple[int, int]]:
    """Greedy pairing for very long chains: each left takes the earliest free right it may."""
    position = {ruid: i for i, ruid in enumerate(rs)}
    options: dict[int, list[int]] = defaultdict(list)
    for luid, ruid in edges:
        if ruid in position:
            options[luid].append(position[ruid])
    taken: set[int] = set()
    pairs = []
    for luid in ls:
        for at in sorted(options[luid]):
            if at not in taken:
                taken.add(at)
                pairs.append((luid, rs[at]))
                break
    return pairs


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
