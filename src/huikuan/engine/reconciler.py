"""The reconciler: runs a template's rules over two sides of canonical entries.

It never opens a file: it takes Arrow tables of entries (see ``domain.entry``) and returns which
records matched (by which rule, auto or suggested), why the others did not, and where matched
groups differ. The same call runs on DuckDB or Spark and gives the same answer.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from huikuan.engine import sql
from huikuan.engine.assign import Pick, assign_pairs, assign_subsets
from huikuan.engine.backends import Backend, open_backend
from huikuan.engine.backends.base import naming_rule
from huikuan.engine.differences import differences_table
from huikuan.engine.rules import TIERS, Rule, Template
from huikuan.engine.validate import check_entries

Progress = Callable[[str, int, int], None]

#: open records above which a key rule runs slice by slice: a slice of 16 million records keeps
#: DuckDB's hash tables near 3 GB (measured in bench/), so ten million orders fit in 8 GB
ROWS_PER_SLICE = 16_000_000
_DICTIONARY = frozenset({"kind", "currency", "status"})
_PICKS_SCHEMA = pa.schema([("uid", pa.int64()), ("grp", pa.int64()), ("tier", pa.int8())])


@dataclass
class MatchResult:
    """What a reconciliation found. ``row`` is the record's index in its side's input table."""

    template: Template
    left: pa.Table
    right: pa.Table
    matches: pa.Table       # match_id, side, row, rule, status — sorted by match_id, side, row
    unmatched: pa.Table     # side, row, reason, in_scope — sorted by side, row
    differences: pa.Table   # match_id, rule, status, check, left/right/difference minor, reason
    timings: dict[str, float] = field(default_factory=dict)
    #: what a person should know before trusting the result (e.g. currencies that cannot pair)
    warnings: list[str] = field(default_factory=list)


def prepare(left: pa.Table, right: pa.Table, columns: tuple[str, ...] = sql.BASE_COLUMNS,
            timezone: str = "Asia/Shanghai") -> pa.Table:
    """The working columns of both sides in one table, with a stable ``uid`` per record, its
    calendar ``day`` in ``timezone``, whether it carries a time of day, and a ``part_key``
    shared by the parts of one split source row."""
    parts = []
    offset = 0
    passed = [c for c in columns if c not in sql.DERIVED_COLUMNS]
    for side_bit, (side, table) in enumerate((("L", left), ("R", right))):
        n = table.num_rows
        micros = table["ts"].cast(pa.int64()).combine_chunks()
        missing = micros.is_null().to_numpy(zero_copy_only=False)
        local = _local_micros(micros.fill_null(0).to_numpy(), timezone)
        parts.append(pa.table({
            "uid": pa.array(np.arange(offset, offset + n, dtype=np.int64)),
            "side": pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, dtype=np.int8)), pa.array([side])),
            # low-cardinality text as dictionaries: DuckDB compares each distinct value once
            **{c: pc.dictionary_encode(table[c]) if c in _DICTIONARY else table[c] for c in passed},
            "ts_s": pc.divide(micros, 1_000_000),  # integer division: whole seconds
            "day": pa.array((local // _DAY_MICROS).astype(np.int32), mask=missing),
            # a record stamped exactly at local midnight carries a date and no time of day
            "timed": pa.array(local % _DAY_MICROS != 0, mask=missing),
            "part_key": _part_keys(table, side_bit),
        }))
        offset += n
    return pa.concat_tables(parts, promote_options="permissive").unify_dictionaries()


_DAY_MICROS = 86_400_000_000


def _local_micros(utc: np.ndarray, timezone: str) -> np.ndarray:
    """UTC epoch microseconds as local wall-clock microseconds in ``timezone``. A zone whose
    offset does not change over the data (Asia/Shanghai since 1991) is one addition; otherwise
    each value is converted by the time-zone database."""
    zone = ZoneInfo(timezone)
    if len(utc) == 0:
        return utc
    lo, hi = int(utc.min()) // 1_000_000, int(utc.max()) // 1_000_000
    shift = _fixed_offset(zone, lo, hi)
    if shift is not None:
        return utc + shift * 1_000_000
    local = pc.local_timestamp(pa.array(utc, pa.timestamp("us", tz=timezone)))
    converted: np.ndarray = local.cast(pa.int64()).to_numpy()
    return converted


def _fixed_offset(zone: ZoneInfo, lo: int, hi: int) -> int | None:
    """The zone's offset in seconds if it is the same from ``lo`` to ``hi`` (epoch seconds),
    checked day by day over at most ten years — a statement's span; a zone changes its offset
    at most once a day. None otherwise."""
    if hi - lo > 3_660 * 86_400:
        return None
    offsets = {zone.utcoffset(datetime.fromtimestamp(t, UTC)) for t in (*range(lo, hi, 86_400), hi)}
    if len(offsets) != 1:
        return None
    (offset,) = offsets
    return None if offset is None else int(offset.total_seconds())


def _part_keys(table: pa.Table, side_bit: int) -> pa.Array:
    """The same key for the entries of one source row that was split into parts (gross and fee,
    an order and its refund: same file and line, next to each other), NULL for a whole row."""
    n = table.num_rows
    if n == 0:
        return pa.array([], pa.int64())
    lines = table["line"].to_numpy()
    equal = lines[1:] == lines[:-1]
    at = np.flatnonzero(equal)  # few: split rows, and files that meet on the same line number
    if len(at):
        files = table["file"]
        same_file = pc.equal(files.take(at), files.take(at + 1)).to_numpy(zero_copy_only=False)
        equal[at] = same_file
    # a running number of source rows: it only moves on where a new row starts
    row = np.concatenate([[0], np.cumsum(~equal, dtype=np.int64)]) | (np.int64(side_bit) << 62)
    split = np.zeros(n, dtype=bool)
    split[1:] |= equal
    split[:-1] |= equal
    return pa.array(row, mask=~split)


def reconcile(
    left: pa.Table,
    right: pa.Table,
    template: Template,
    *,
    backend: str | Backend = "duckdb",
    progress: Progress | None = None,
    rows_per_slice: int = ROWS_PER_SLICE,
) -> MatchResult:
    """Match ``left`` against ``right`` with ``template``'s rules, strongest evidence first.

    Key rules over more than ``rows_per_slice`` open records run one hash slice of the keys at
    a time, which bounds memory at the cost of a few more scans; the result is the same."""
    check_entries(left, right, sql.input_columns(template))  # a clear error, not a KeyError
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
        # the working table and the first open set are views over the Arrow input: no copy
        engine.load("input_entries", prepare(left, right, sql.needed_columns(template), template.timezone))
        engine.view("work", sql.scope_select(template, "input_entries"))
        engine.view("open_0", "SELECT * FROM work WHERE in_scope")
        lap("prepare")
        members, still_open = _run_rules(engine, template, progress, lap,
                                         open_rows=left.num_rows + right.num_rows,
                                         rows_per_slice=rows_per_slice)
        result = _collect(engine, template, left, right, members, still_open)
        lap("collect")
    finally:
        if owns:
            engine.close()
    result.timings = timings
    result.warnings = currency_warnings(left, right)
    return result


def currency_warnings(left: pa.Table, right: pa.Table) -> list[str]:
    """A warning when one side is entirely in currencies the other side lacks: nothing of it can
    pair, which is almost always the wrong files rather than a month of mismatches."""
    mine = {side: set(pc.unique(t["currency"]).to_pylist()) if t.num_rows else set()
            for side, t in (("left", left), ("right", right))}
    if not mine["left"] or not mine["right"] or mine["left"] & mine["right"]:
        return []
    return [f"the left files are in {', '.join(sorted(mine['left']))} and the right files in "
            f"{', '.join(sorted(mine['right']))}: no record can pair across currencies"]


def _run_rules(engine: Backend, template: Template, progress: Progress | None,
               lap: Callable[[str], None], *, open_rows: int,
               rows_per_slice: int) -> tuple[list[tuple[int, str]], str]:
    """Run each rule on the records still open; returns the (rule index, members table) pairs
    and the name of the table of records no rule claimed."""
    current = "open_0"
    produced: list[tuple[int, str]] = []
    for index, rule in enumerate(template.rules):
        name = f"m{index}"
        with naming_rule(rule.name):  # a backend failure names the rule
            if rule.type == "key":
                count = _key_rule(engine, rule, current, name, -(-open_rows // rows_per_slice))
            else:
                count = _python_rule(engine, rule, current, name)
        if count:
            after = f"open_{index + 1}"
            open_rows = engine.materialise(after, sql.open_after(current, name))
            if sql.follows(template, rule) and engine.materialise(
                    f"f{index}", sql.follow_ups(template, rule, name, current, after)):
                # the records that belong with the groups just matched join them
                engine.materialise(f"{name}f", f"SELECT uid, grp, tier FROM {name} "
                                               f"UNION ALL SELECT uid, grp, tier FROM f{index}")
                name = f"{name}f"
                open_rows = engine.materialise(f"{after}f", sql.open_after(after, f"f{index}"))
                engine.drop(after)
                after = f"{after}f"
            produced.append((index, name))
            if current != "open_0":
                engine.drop(current)  # free the previous open set early: it can be large
            current = after
        lap(f"rule {rule.name}")
        if progress:
            progress(rule.name, index + 1, len(template.rules))
    return produced, current


def _key_rule(engine: Backend, rule: Rule, current: str, name: str, slices: int) -> int:
    """A key rule, in one statement or, for large inputs, one hash slice of the keys at a time
    (each slice's hash tables are a fraction of the whole: memory stays bounded)."""
    tier = f"CAST({TIERS.index(rule.tier)} AS TINYINT)"
    if slices <= 1:
        query = sql.key_rule(rule, current)
        return engine.materialise(name, f"SELECT uid, grp, {tier} AS tier FROM ({query}) k")
    count = 0
    for part in range(slices):
        query = sql.key_rule(rule, current, (part, slices))
        count += engine.materialise(f"{name}_{part}", f"SELECT uid, grp, {tier} AS tier FROM ({query}) k")
    engine.view(name, " UNION ALL ".join(f"SELECT * FROM {name}_{part}" for part in range(slices)))
    return count


def _python_rule(engine: Backend, rule: Rule, current: str, name: str) -> int:
    """Window and subset rules: candidates from the backend, the choice in Python."""
    if rule.type == "window":
        picks = assign_pairs(engine.fetch(sql.window_candidates(rule, current)), rule)
    else:
        picks = assign_subsets(engine.fetch(sql.subset_candidates(rule, current)), rule)
    if not picks:
        return 0
    engine.load(name, _picks_table(picks, rule))
    return sum(len(p.left) + len(p.right) for p in picks)


def _picks_table(picks: list[Pick], rule: Rule) -> pa.Table:
    uids, groups, tiers = [], [], []
    for pick in picks:
        tier = TIERS.index(rule.tier if pick.unique else "suggested")
        group = min(pick.left)
        for uid in (*pick.left, *pick.right):
            uids.append(uid)
            groups.append(group)
            tiers.append(tier)
    return pa.table([uids, groups, tiers], schema=_PICKS_SCHEMA)


def _collect(  # noqa: PLR0917 - the pieces of one run, gathered once
        engine: Backend, template: Template, left: pa.Table, right: pa.Table,
        produced: list[tuple[int, str]], still_open: str) -> MatchResult:
    n_left = left.num_rows
    rule_names = pa.array([r.name for r in template.rules])
    if produced:
        union = " UNION ALL ".join(f"SELECT {i} AS rule_idx, grp, uid, tier FROM {t}" for i, t in produced)
        members = engine.fetch(f"SELECT * FROM ({union}) m ORDER BY rule_idx, grp, uid")
    else:
        members = pa.table({"rule_idx": pa.array([], pa.int32()), "grp": pa.array([], pa.int64()),
                            "uid": pa.array([], pa.int64()), "tier": pa.array([], pa.int8())})
    rule_idx = members["rule_idx"].to_numpy().astype(np.int32)
    grp = members["grp"].to_numpy()
    tier = members["tier"].to_numpy().astype(np.int8)
    # sorted by (rule, group): a new match starts where either changes (in place: big arrays)
    starts = np.empty(len(grp), dtype=bool)
    starts[:1] = True
    np.not_equal(grp[1:], grp[:-1], out=starts[1:])
    starts[1:] |= rule_idx[1:] != rule_idx[:-1]
    match_id = np.cumsum(starts, dtype=np.int64)
    engine.materialise("unclaimed", f"SELECT * FROM {still_open} UNION ALL "
                                    "SELECT * FROM work WHERE NOT in_scope")
    lags: dict[str | None, int] | None = None
    if produced and sql.observes_lag(template):
        found = engine.fetch(sql.observed_lags([t for _, t in produced], "work")).to_pylist()
        lags = {row["kind"]: int(row["lag"]) for row in found if row["lag"] is not None}
    unclaimed = engine.fetch(sql.unmatched_reasons(template, "unclaimed", "work", lags) + " ORDER BY uid")
    group_ids = pa.table({"rule_idx": rule_idx[starts], "grp": grp[starts], "match_id": match_id[starts],
                          "tier": tier[starts]})
    differences = differences_table(engine, template, produced, group_ids)
    uid = members["uid"].to_numpy()
    is_right = uid >= n_left
    matches = pa.table({
        "match_id": pa.array(match_id, pa.int64()),
        "side": _labels(is_right.astype(np.int8), ("left", "right")),
        "row": pa.array(np.where(is_right, uid - n_left, uid)),
        "rule": pa.DictionaryArray.from_arrays(pa.array(rule_idx), rule_names),
        "status": _labels(tier, TIERS),
    })
    u_uid = unclaimed["uid"].to_numpy()
    u_right = u_uid >= n_left
    unmatched = pa.table({
        "side": _labels(u_right.astype(np.int8), ("left", "right")),
        "row": pa.array(np.where(u_right, u_uid - n_left, u_uid)),
        "reason": unclaimed["reason"],
        "in_scope": unclaimed["in_scope"],
    })
    return MatchResult(template, left, right, matches, unmatched, differences)


def _labels(codes: np.ndarray, names: tuple[str, ...]) -> pa.DictionaryArray:
    """Small integer codes as a dictionary array of their names (no string per row)."""
    return pa.DictionaryArray.from_arrays(pa.array(codes, pa.int8()), pa.array(names))
