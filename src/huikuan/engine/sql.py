"""SQL for every rule, generated once from the rule's data in DuckDB's dialect.

Backends run these statements as they are (DuckDB) or transpiled by SQLGlot (Spark). Nothing
here depends on row order: every choice is made by explicit keys, so all backends agree.
The working table holds uid, side ('L'/'R'), kind, currency, amount_minor, ts_s (epoch seconds)
and only those other columns the template names (:func:`needed_columns`).
"""

from __future__ import annotations

from collections.abc import Sequence

from huikuan.engine.rules import DAY, AmountCheck, Explanations, ReasonRule, Rule, SideFilter, Template

BASE_COLUMNS = ("uid", "side", "kind", "currency", "amount_minor", "ts_s")


def needed_columns(template: Template) -> tuple[str, ...]:
    """The working columns a template reads: the base ones plus keys, filters and reasons."""
    extra: set[str] = set()
    filters = [template.left_scope, template.right_scope]
    for rule in template.rules:
        filters += [rule.left, rule.right]
        extra.update(c for c in (rule.left_key, rule.right_key) if c)
        extra.update(rule.same)
    for f in filters:
        extra.update(f.missing)
        extra.update(f.present)
        if f.statuses:
            extra.add("status")
        if f.counterparty:
            extra.add("counterparty")
    for e in (template.left_reasons, template.right_reasons):
        for r in (*e.in_scope, *e.out_of_scope):
            if r.counterpart_key:
                extra.add(r.counterpart_key)
            if r.statuses:
                extra.add("status")
    return BASE_COLUMNS + tuple(sorted(extra - set(BASE_COLUMNS)))


def literal(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def in_list(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(literal(v) for v in values)})"


def filter_sql(f: SideFilter, alias: str = "") -> str:
    """The WHERE condition of a side filter (``TRUE`` when it filters nothing)."""
    p = f"{alias}." if alias else ""
    parts = []
    if f.kinds:
        parts.append(in_list(f"{p}kind", f.kinds))
    if f.statuses:
        parts.append(in_list(f"{p}status", f.statuses))
    parts += [f"{p}{c} IS NULL" for c in f.missing]
    parts += [f"{p}{c} IS NOT NULL" for c in f.present]
    if f.counterparty:
        parts.append(f"regexp_matches(COALESCE({p}counterparty, ''), {literal(f.counterparty)})")
    if f.sign == "positive":
        parts.append(f"{p}amount_minor > 0")
    elif f.sign == "negative":
        parts.append(f"{p}amount_minor < 0")
    return " AND ".join(parts) if parts else "TRUE"


def scope_select(template: Template, source: str) -> str:
    """The working table with ``in_scope`` computed from the template's scope."""
    cols = ", ".join(needed_columns(template))
    return (f"SELECT {cols}, CASE WHEN side = 'L' THEN ({filter_sql(template.left_scope)}) "
            f"ELSE ({filter_sql(template.right_scope)}) END AS in_scope FROM {source}")


def open_after(source: str, claimed: str) -> str:
    """Rows of ``source`` not claimed by a rule (claimed records are never offered again)."""
    return (f"SELECT o.* FROM {source} o WHERE NOT EXISTS "
            f"(SELECT 1 FROM {claimed} c WHERE c.uid = o.uid)")


def _sum_kinds(kinds: Sequence[str]) -> str:
    if not kinds:
        return "SUM(amount_minor)"
    return f"SUM(CASE WHEN {in_list('kind', kinds)} THEN amount_minor ELSE 0 END)"


def _count_kinds(kinds: Sequence[str]) -> str:
    if not kinds:
        return "COUNT(*)"
    return f"SUM(CASE WHEN {in_list('kind', kinds)} THEN 1 ELSE 0 END)"


def _diff(check: AmountCheck, left: str, right: str) -> str:
    return f"({left} - {right})" if check.relation == "equal" else f"({left} + {right})"


def _within(check: AmountCheck, left: str, right: str) -> str:
    diff = f"ABS{_diff(check, left, right)}"
    condition = f"{diff} <= {check.tolerance_minor}"
    if check.tolerance_bp:
        condition = f"({condition} OR {diff} * 10000 <= ABS({left}) * {check.tolerance_bp})"
    return condition


def effective_checks(rule: Rule) -> tuple[AmountCheck, ...]:
    """The checks a rule's matches are measured by; key-less rules compare all amounts."""
    if rule.checks or rule.type == "key":
        return rule.checks
    return (AmountCheck(relation=rule.relation, tolerance_minor=rule.tolerance_minor),)


def key_rule(rule: Rule, source: str, part: tuple[int, int] | None = None) -> str:
    """Members (uid, grp) of the groups that share a key and pass the rule's checks; ``grp`` is
    the smallest left uid of the group. A group is one key in one currency: amounts in different
    currencies are never added up. ``part = (p, n)`` keeps only keys in hash partition p of n,
    so that large inputs are grouped a slice at a time (every key falls in exactly one slice)."""
    lk, rk = rule.left_key, rule.right_key
    assert lk is not None
    assert rk is not None
    checks = rule.checks
    sums_l = "".join(f", {_sum_kinds(c.left_kinds)} AS a{i}" for i, c in enumerate(checks))
    sums_r = "".join(f", {_sum_kinds(c.right_kinds)} AS a{i}" for i, c in enumerate(checks))
    conditions = ["lg.na >= 1", "rg.na >= 1"]
    if rule.cardinality in ("1:1", "1:n"):
        conditions.append("lg.na = 1")
    if rule.cardinality in ("1:1", "n:1"):
        conditions.append("rg.na = 1")
    conditions += [_within(c, f"lg.a{i}", f"rg.a{i}") for i, c in enumerate(checks) if c.enforce]
    when = ""
    if rule.window_seconds is not None:
        lo, hi = rule.window_seconds
        conditions.append(f"rg.t - lg.t BETWEEN {lo} AND {hi}")
        when = ", MIN(ts_s) AS t"
    group = ("SELECT k, currency, {count} AS na, MIN(uid) AS first{when}{sums} FROM {side} "
             "GROUP BY k, currency")
    slice_l = slice_r = ""
    if part is not None:
        p, n = part
        slice_l = f" AND (hash({lk}) % {n} + {n}) % {n} = {p}"
        slice_r = f" AND (hash({rk}) % {n} + {n}) % {n} = {p}"
    return f"""
WITH l AS (SELECT uid, {lk} AS k, kind, amount_minor, currency, ts_s FROM {source}
           WHERE side = 'L' AND {lk} IS NOT NULL AND {filter_sql(rule.left)}{slice_l}),
     r AS (SELECT uid, {rk} AS k, kind, amount_minor, currency, ts_s FROM {source}
           WHERE side = 'R' AND {rk} IS NOT NULL AND {filter_sql(rule.right)}{slice_r}),
     lg AS ({group.format(count=_count_kinds(rule.left_anchor_kinds), sums=sums_l, side="l", when=when)}),
     rg AS ({group.format(count=_count_kinds(rule.right_anchor_kinds), sums=sums_r, side="r", when=when)}),
     g AS (SELECT lg.k, lg.currency, lg.first AS grp FROM lg JOIN rg
           ON lg.k = rg.k AND lg.currency = rg.currency WHERE {" AND ".join(conditions)})
SELECT l.uid, g.grp FROM l JOIN g ON l.k = g.k AND l.currency = g.currency
UNION ALL
SELECT r.uid, g.grp FROM r JOIN g ON r.k = g.k AND r.currency = g.currency"""


def _pair_source(rule: Rule, source: str) -> tuple[str, str, str]:
    cols = ", ".join(dict.fromkeys(("uid", "ts_s", "amount_minor", *rule.same)))
    left = (f"SELECT {cols} FROM {source} WHERE side = 'L' AND ts_s IS NOT NULL "
            f"AND {filter_sql(rule.left)}")
    right = (f"SELECT {cols} FROM {source} WHERE side = 'R' AND ts_s IS NOT NULL "
             f"AND {filter_sql(rule.right)}")
    same = " AND ".join(f"l.{c} = r.{c}" for c in rule.same) or "TRUE"
    return left, right, same


def window_candidates(rule: Rule, source: str) -> str:
    """Every (left, right) pair within the date window whose amounts agree."""
    assert rule.window_seconds is not None
    left, right, same = _pair_source(rule, source)
    target = "l.amount_minor" if rule.relation == "equal" else "-l.amount_minor"
    if rule.tolerance_minor:
        amount = f"ABS(r.amount_minor - {target}) <= {rule.tolerance_minor}"
    else:
        amount = f"r.amount_minor = {target}"
    lo, hi = rule.window_seconds
    return f"""
SELECT l.uid AS luid, r.uid AS ruid, l.ts_s AS lts, r.ts_s AS rts,
       l.amount_minor AS lamt, r.amount_minor AS ramt
FROM ({left}) l JOIN ({right}) r ON {amount} AND {same}
WHERE r.ts_s - l.ts_s BETWEEN {lo} AND {hi}"""


def subset_candidates(rule: Rule, source: str) -> str:
    """For n:1, every (part, whole) pair: parts smaller than the whole, same direction, within
    the window. ``whole`` is the right record (n:1) or the left record (1:n)."""
    assert rule.window_seconds is not None
    left, right, same = _pair_source(rule, source)
    sign = "=" if rule.relation == "equal" else "= -"
    lo, hi = rule.window_seconds
    part, whole = ("l", "r") if rule.direction == "n:1" else ("r", "l")
    return f"""
SELECT {whole}.uid AS whole_uid, {whole}.ts_s AS whole_ts, {whole}.amount_minor AS whole_amt,
       {part}.uid AS part_uid, {part}.ts_s AS part_ts, {part}.amount_minor AS part_amt
FROM ({left}) l JOIN ({right}) r ON {same}
WHERE r.ts_s - l.ts_s BETWEEN {lo} AND {hi}
  AND SIGN(l.amount_minor) {sign}SIGN(r.amount_minor) AND l.amount_minor <> 0
  AND ABS({part}.amount_minor) < ABS({whole}.amount_minor)"""


def can_differ(rule: Rule) -> bool:
    """False when the rule only accepts groups whose checks agree exactly."""
    return any(not c.enforce or c.tolerance_minor or c.tolerance_bp for c in effective_checks(rule))


def group_sums(rule: Rule, members: str, work: str) -> str:
    """Per group of a rule: left and right sums of each check, for the differences report."""
    if not can_differ(rule):
        return ""
    sums = []
    for i, c in enumerate(effective_checks(rule)):
        lk = f" AND {in_list('w.kind', c.left_kinds)}" if c.left_kinds else ""
        rk = f" AND {in_list('w.kind', c.right_kinds)}" if c.right_kinds else ""
        sums.append(f"SUM(CASE WHEN w.side = 'L'{lk} THEN w.amount_minor ELSE 0 END) AS l{i}")
        sums.append(f"SUM(CASE WHEN w.side = 'R'{rk} THEN w.amount_minor ELSE 0 END) AS r{i}")
    if not sums:
        return ""
    differs = " OR ".join(
        f"{_diff(c, f'l{i}', f'r{i}')} <> 0" for i, c in enumerate(effective_checks(rule)))
    return f"""
SELECT grp, MIN(currency) AS currency, {", ".join(sums)}
FROM (SELECT m.grp, w.side, w.kind, w.amount_minor, w.currency
      FROM {members} m JOIN {work} w ON w.uid = m.uid) w
GROUP BY grp HAVING {differs}"""


def _reason_case(rules: Sequence[ReasonRule], default: str) -> str:
    whens = []
    for r in rules:
        parts = []
        if r.kinds:
            parts.append(in_list("u.kind", r.kinds))
        if r.statuses:
            parts.append(in_list("u.status", r.statuses))
        if r.counterpart_key:
            parts.append(f"ck_{r.counterpart_key}.k IS NOT NULL")
        if r.near_other_end_days is not None:
            parts.append(f"u.ts_s > o.t_max - {r.near_other_end_days * DAY}")
        if r.near_other_start_days is not None:
            parts.append(f"u.ts_s < o.t_min + {r.near_other_start_days * DAY}")
        if r.sign == "positive":
            parts.append("u.amount_minor > 0")
        elif r.sign == "negative":
            parts.append("u.amount_minor < 0")
        whens.append(f"WHEN {' AND '.join(parts) or 'TRUE'} THEN {literal(r.reason)}")
    if not whens:
        return literal(default)
    return f"CASE {' '.join(whens)} ELSE {literal(default)} END"


def _side_case(e: Explanations) -> str:
    return (f"CASE WHEN u.in_scope THEN {_reason_case(e.in_scope, e.default)} "
            f"ELSE {_reason_case(e.out_of_scope, e.default_out_of_scope)} END")


def unmatched_reasons(template: Template, unmatched: str, work: str) -> str:
    """(uid, side, reason) for every record no rule claimed, in or out of scope."""
    rules = (*template.left_reasons.in_scope, *template.left_reasons.out_of_scope,
             *template.right_reasons.in_scope, *template.right_reasons.out_of_scope)
    columns = sorted({r.counterpart_key for r in rules if r.counterpart_key})
    keysets = "".join(
        f", ks_{c} AS (SELECT DISTINCT side, {c} AS k FROM {work} WHERE in_scope AND {c} IN "
        f"(SELECT {c} FROM {unmatched} WHERE {c} IS NOT NULL))"
        for c in columns)
    joins = "".join(
        f" LEFT JOIN ks_{c} ck_{c} ON ck_{c}.side <> u.side AND ck_{c}.k = u.{c}" for c in columns)
    return f"""
WITH ends AS (SELECT side, MIN(ts_s) AS t_min, MAX(ts_s) AS t_max FROM {work}
              WHERE in_scope GROUP BY side){keysets}
SELECT u.uid, u.side, u.in_scope,
       CASE WHEN u.side = 'L' THEN {_side_case(template.left_reasons)}
            ELSE {_side_case(template.right_reasons)} END AS reason
FROM {unmatched} u LEFT JOIN ends o ON o.side <> u.side{joins}"""
