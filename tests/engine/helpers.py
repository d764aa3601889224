"""Read a MatchResult the way a clerk reads the result files."""

from __future__ import annotations

from collections import defaultdict

from huikuan.engine import MatchResult


def groups(result: MatchResult) -> list[tuple[frozenset[str], frozenset[str], str, str]]:
    """Each match as (left record ids, right record ids, rule, status), sorted."""
    lids = result.left["record_id"].to_pylist()
    rids = result.right["record_id"].to_pylist()
    members: dict[int, dict[str, set[str]]] = defaultdict(lambda: {"left": set(), "right": set()})
    info: dict[int, tuple[str, str]] = {}
    for m in result.matches.to_pylist():
        ids = lids if m["side"] == "left" else rids
        members[m["match_id"]][m["side"]].add(ids[m["row"]])
        info[m["match_id"]] = (m["rule"], m["status"])
    return sorted(
        ((frozenset(v["left"]), frozenset(v["right"]), *info[k]) for k, v in members.items()),
        key=lambda g: (sorted(g[0]), sorted(g[1])))


def reasons(result: MatchResult) -> dict[str, str]:
    """record id → reason for every unmatched record (ids are unique across sides in tests)."""
    lids = result.left["record_id"].to_pylist()
    rids = result.right["record_id"].to_pylist()
    return {(lids if u["side"] == "left" else rids)[u["row"]]: u["reason"]
            for u in result.unmatched.to_pylist()}


def pair(result: MatchResult, record_id: str) -> tuple[frozenset[str], frozenset[str], str, str]:
    """The match a record belongs to."""
    found = [g for g in groups(result) if record_id in g[0] or record_id in g[1]]
    assert len(found) == 1, f"{record_id} is in {len(found)} matches"
    return found[0]
