"""Where matched groups differ, and why: the differences report."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from huikuan.domain.reasons import Reason
from huikuan.engine import sql
from huikuan.engine.backends.base import Backend
from huikuan.engine.rules import TIERS, AmountCheck, Template

SCHEMA = pa.schema([
    ("match_id", pa.int64()), ("rule", pa.string()), ("status", pa.string()), ("check", pa.string()),
    ("left_minor", pa.int64()), ("right_minor", pa.int64()), ("difference_minor", pa.int64()),
    ("currency", pa.string()), ("reason", pa.string()),
])


def check_label(check: AmountCheck) -> str:
    left = "+".join(check.left_kinds) or "all"
    right = "+".join(check.right_kinds) or "all"
    return f"{left} vs {right}"


def explain(check: AmountCheck, left: int, right: int, rounding_minor: int) -> str:
    """The reason code of one differing check."""
    expected = right if check.relation == "equal" else -right
    diff = left - expected
    if check.at_most:
        return check.reason
    if abs(diff) <= rounding_minor:
        return str(Reason.ROUNDING)
    if check.reason_if_right_smaller and abs(expected) < abs(left):
        return check.reason_if_right_smaller
    if check.reason_if_right_larger and abs(expected) > abs(left):
        return check.reason_if_right_larger
    return check.reason


def compare(check: AmountCheck, i: int, sums: dict[str, Any]) -> tuple[int, int] | None:
    """(left, right) of check ``i`` where it applies to a group and does not hold exactly, else
    None. Of a check's two admissible left sums the one nearer the right is reported."""
    if check.if_left_has and not sums[f"h{i}"]:
        return None
    if check.if_left_lacks and sums[f"n{i}"]:
        return None
    left, right = int(sums[f"a{i}"] or 0), int(sums[f"r{i}"] or 0)
    expected = right if check.relation == "equal" else -right
    if check.at_most:
        return (left, right) if abs(expected) > abs(left) else None
    if check.alt_left_kinds:
        alt = int(sums[f"b{i}"] or 0)
        if alt == expected:
            return None
        if abs(alt - expected) < abs(left - expected):
            left = alt
    return None if left == expected else (left, right)


def differences_table(engine: Backend, template: Template, produced: list[tuple[int, str]],
                      group_ids: pa.Table) -> pa.Table:
    """One row per (match, check) whose sums disagree, sorted by match. ``group_ids`` maps each
    (rule_idx, grp), sorted, to its match_id and tier code (see ``TIERS``)."""
    rows: list[dict[str, object]] = []
    # (rule_idx, grp) packed in one sorted int64 key: grp is a uid, far below 2**40
    keys = (group_ids["rule_idx"].to_numpy().astype(np.int64) << 40) | group_ids["grp"].to_numpy()
    match_ids = group_ids["match_id"].to_numpy()
    tiers = group_ids["tier"].to_numpy()
    for index, members in produced:
        rule = template.rules[index]
        query = sql.group_sums(rule, members, "work")
        if not query:
            continue
        sums = engine.fetch(query)
        if sums.num_rows == 0:
            continue
        at = np.searchsorted(keys, (np.int64(index) << 40) | sums["grp"].to_numpy())
        for position, row in zip(at.tolist(), sums.to_pylist(), strict=True):
            for i, check in enumerate(sql.effective_checks(rule)):
                found = compare(check, i, row)
                if found is None:
                    continue
                left, right = found
                expected = right if check.relation == "equal" else -right
                rows.append({
                    "match_id": int(match_ids[position]), "rule": rule.name, "status": TIERS[tiers[position]],
                    "check": check_label(check), "left_minor": left, "right_minor": right,
                    "difference_minor": left - expected, "currency": row["currency"],
                    "reason": explain(check, left, right, template.rounding_minor),
                })
    rows.sort(key=lambda r: (r["match_id"], r["check"]))
    return pa.Table.from_pylist(rows, schema=SCHEMA)
