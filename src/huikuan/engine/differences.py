"""Where matched groups differ, and why: the differences report."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from huikuan.domain.reasons import Reason
from huikuan.engine import sql
from huikuan.engine.backends.base import Backend
from huikuan.engine.rules import AmountCheck, Template

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
    if check.reason_if_right_smaller and abs(expected) < abs(left):
        return check.reason_if_right_smaller
    if check.reason_if_right_larger and abs(expected) > abs(left):
        return check.reason_if_right_larger
    if abs(diff) <= rounding_minor:
        return str(Reason.ROUNDING)
    return check.reason


def differences_table(engine: Backend, template: Template, produced: list[tuple[int, str]],
                      group_ids: pa.Table) -> pa.Table:
    """One row per (match, check) whose sums disagree, sorted by match. ``group_ids`` maps each
    (rule_idx, grp) to its match_id and tier."""
    rows: list[dict[str, object]] = []
    rule_idx = group_ids["rule_idx"].to_numpy()
    grp = group_ids["grp"].to_numpy()

    def lookup(index: int, group: int) -> tuple[int, str]:
        # group_ids is sorted by (rule_idx, grp): binary search instead of a dict of every group
        lo, hi = np.searchsorted(rule_idx, index, "left"), np.searchsorted(rule_idx, index, "right")
        at = lo + int(np.searchsorted(grp[lo:hi], group))
        return int(group_ids["match_id"][at].as_py()), str(group_ids["tier"][at].as_py())

    for index, members in produced:
        rule = template.rules[index]
        query = sql.group_sums(rule, members, "work")
        if not query:
            continue
        for row in engine.fetch(query).to_pylist():
            match_id, tier = lookup(index, row["grp"])
            for i, check in enumerate(sql.effective_checks(rule)):
                left, right = int(row[f"l{i}"]), int(row[f"r{i}"])
                expected = right if check.relation == "equal" else -right
                if left == expected:
                    continue
                rows.append({
                    "match_id": match_id, "rule": rule.name, "status": tier,
                    "check": check_label(check), "left_minor": left, "right_minor": right,
                    "difference_minor": left - expected, "currency": row["currency"],
                    "reason": explain(check, left, right, template.rounding_minor),
                })
    rows.sort(key=lambda r: (r["match_id"], r["check"]))
    return pa.Table.from_pylist(rows, schema=SCHEMA)
