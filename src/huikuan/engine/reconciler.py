"""The reconciler: runs a template's rules over two sides of canonical entries.

It never opens a file: it takes Arrow tables of entries (see ``domain.entry``) and returns which
records matched (by which rule, auto or suggested), why the others did not, and where matched
groups differ. The same call runs on DuckDB or Spark and gives the same answer.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from huikuan.engine import sql
from huikuan.engine.assign import Pick, assign_pairs, assign_subsets
from huikuan.engine.backends import Backend, open_backend
from huikuan.engine.differences import differences_table
from huikuan.engine.rules import Rule, Template

Progress = Callable[[str, int, int], None]

_PICKS_SCHEMA = pa.schema([("uid", pa.int64()), ("grp", pa.string()), ("tier", pa.string())])


@dataclass
class MatchResult:
    """What a reconciliation found. ``row`` is the record's index in its side's input table."""

    template: Template
    left: pa.Table
    right: pa.Table
    matches: pa.Table       # match_id, side, row, rule, status — sorted by match_id, side, row
    unmatched: pa.Table     # side, row, reason — sorted by side, row
    differences: pa.Table   # match_id, rule, status, check, left/right/difference minor, reason
    timings: dict[str, float] = field(default_factory=dict)

    def matched_count(self, side: str) -> int:
        return int(pc.sum(pc.equal(self.matches["side"], side)).as_py() or 0)


def prepare(left: pa.Table, right: pa.Table) -> pa.Table:
    """The working columns of both sides in one table, with a stable ``uid`` per record."""
    parts = []
    offset = 0
    for side, table in (("L", left), ("R", right)):
        n = table.num_rows
        ts = table["ts"].cast(pa.int64())
        parts.append(pa.table({
            "uid": pa.array(range(offset, offset + n), type=pa.int64()),
            "side": pa.array([side] * n, type=pa.string()) if n else pa.array([], pa.string()),
            **{c: table[c] for c in ("kind", "order_ref", "batch_ref", "record_id", "account",
                                     "counterparty", "currency", "status", "amount_minor")},
            "ts_s": pc.floor(pc.divide(ts.cast(pa.float64()), 1_000_000)).cast(pa.int64())  # ok-float: µs→s
            if n else pa.array([], pa.int64()),
        }))
        offset += n
    return pa.concat_tables(parts)


def reconcile(
    left: pa.Table,
    right: pa.Table,
    template: Template,
    *,
    backend: str | Backend = "duckdb",
    progress: Progress | None = None,
) -> MatchResult:
    """Match ``left`` against ``right`` with ``template``'s rules, strongest evidence first."""
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(step: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[step] = round(now - clock, 4)
        clock = now

    engine = open_backend(backend) if isinstance(backend, str) else backend
    owns = isinstance(backend, str)
    try:
        engine.load("input_entries", prepare(left, right))
        engine.materialise("work", sql.scope_select(template, "input_entries"))
        engine.materialise("open_0", "SELECT * FROM work WHERE in_scope")
        lap("prepare")
        members = _run_rules(engine, template, progress, lap)
        result = _collect(engine, template, left, right, members)
        lap("collect")
    finally:
        if owns:
            engine.close()
    result.timings = timings
    return result


def _run_rules(engine: Backend, template: Template, progress: Progress | None,
               lap: Callable[[str], None]) -> list[tuple[int, str]]:
    """Run each rule on the records still open; returns (rule index, members table) pairs."""
    current = "open_0"
    produced: list[tuple[int, str]] = []
    for index, rule in enumerate(template.rules):
        name = f"m{index}"
        if rule.type == "key":
            tier = sql.literal(rule.tier)
            select = f"SELECT uid, grp, {tier} AS tier FROM ({sql.key_rule(rule, current)}) k"
            count = engine.materialise(name, select)
        else:
            count = _python_rule(engine, rule, current, name)
        if count:
            produced.append((index, name))
            engine.materialise(f"open_{index + 1}", sql.open_after(current, name))
            current = f"open_{index + 1}"
        lap(f"rule {rule.name}")
        if progress:
            progress(rule.name, index + 1, len(template.rules))
    return produced


def _python_rule(engine: Backend, rule: Rule, current: str, name: str) -> int:
    """Window and subset rules: candidates from the backend, the choice in Python."""
    if rule.type == "window":
        picks = assign_pairs(engine.fetch(sql.window_candidates(rule, current)), rule)
        auto_ties = rule.ties == "time_order"
    else:
        picks = assign_subsets(engine.fetch(sql.subset_candidates(rule, current)), rule)
        auto_ties = False
    if not picks:
        return 0
    engine.load(name, _picks_table(picks, rule, auto_ties))
    return sum(len(p.left) + len(p.right) for p in picks)


def _picks_table(picks: list[Pick], rule: Rule, auto_ties: bool) -> pa.Table:
    uids, groups, tiers = [], [], []
    for pick in picks:
        tier = rule.tier if (pick.unique or auto_ties) else "suggested"
        group = f"{pick.left[0]}-{pick.right[0]}"
        for uid in (*pick.left, *pick.right):
            uids.append(uid)
            groups.append(group)
            tiers.append(tier)
    return pa.table([uids, groups, tiers], schema=_PICKS_SCHEMA)


def _collect(engine: Backend, template: Template, left: pa.Table, right: pa.Table,
             produced: list[tuple[int, str]]) -> MatchResult:
    n_left = left.num_rows
    rule_names = [r.name for r in template.rules]
    if produced:
        union = " UNION ALL ".join(f"SELECT {i} AS rule_idx, uid, grp, tier FROM {t}" for i, t in produced)
        engine.materialise("members", union)
        engine.materialise("numbered", """
            SELECT rule_idx, grp, ROW_NUMBER() OVER (ORDER BY rule_idx, first_uid) AS match_id
            FROM (SELECT rule_idx, grp, MIN(uid) AS first_uid FROM members GROUP BY rule_idx, grp) g""")
        matched = engine.fetch("""
            SELECT n.match_id, m.uid, m.rule_idx, m.tier FROM members m
            JOIN numbered n ON n.rule_idx = m.rule_idx AND n.grp = m.grp
            ORDER BY n.match_id, m.uid""")
        claimed = "members"
    else:
        matched = pa.table({"match_id": pa.array([], pa.int64()), "uid": pa.array([], pa.int64()),
                            "rule_idx": pa.array([], pa.int32()), "tier": pa.array([], pa.string())})
        engine.materialise("members", "SELECT uid FROM work WHERE FALSE")
        claimed = "members"
    engine.materialise("unclaimed", sql.open_after("work", claimed))
    unclaimed = engine.fetch(sql.unmatched_reasons(template, "unclaimed", "work") + " ORDER BY uid")
    differences = differences_table(engine, template, produced)
    uid = matched["uid"]
    is_left = pc.less(uid, n_left)
    matches = pa.table({
        "match_id": matched["match_id"].cast(pa.int64()),
        "side": pc.if_else(is_left, "left", "right"),
        "row": pc.if_else(is_left, uid, pc.subtract(uid, n_left)),
        "rule": pc.take(pa.array(rule_names), matched["rule_idx"].cast(pa.int64())),
        "status": matched["tier"],
    })
    u_uid = unclaimed["uid"]
    u_left = pc.less(u_uid, n_left)
    unmatched = pa.table({
        "side": pc.if_else(u_left, "left", "right"),
        "row": pc.if_else(u_left, u_uid, pc.subtract(u_uid, n_left)),
        "reason": unclaimed["reason"],
    })
    return MatchResult(template, left, right, matches, unmatched, differences)
