"""SQL for every rule, generated once from the rule's data in DuckDB's dialect.

Backends run these statements as they are (DuckDB) or transpiled by SQLGlot (Spark). Nothing
here depends on row order: every choice is made by explicit keys, so all backends agree.
The working table holds uid, side ('L'/'R'), kind, currency, amount_minor, ts_s (epoch seconds),
day (calendar day in the template's time zone, days since 1970-01-01), timed (false for a record
that carries a date but no time of day), part_key (shared by the parts of one split source row,
else NULL) and only those other columns the template names (:func:`needed_columns`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from huikuan.domain.reasons import Reason
from huikuan.engine.rules import AmountCheck, Explanations, ReasonRule, Rule, SideFilter, Template

BASE_COLUMNS = ("uid", "side", "kind", "currency", "amount_minor", "ts_s", "day", "timed", "part_key")
#: columns computed while preparing the working table, not read from the entries
DERIVED_COLUMNS = frozenset({"uid", "side", "ts_s", "day", "timed", "part_key"})


def needed_columns(template: Template) -> tuple[str, ...]:
    """The working columns a template reads: the base ones plus keys, filters and reasons."""
    extra: set[str] = set()
    filters = [template.left_scope, template.right_scope]
    for rule in template.rules:
        filters += [rule.left, rule.right]
        extra.update(c for c in (rule.left_key, rule.right_key) if c)
        extra.update(rule.same)
    extra.update(template.follow.keys)
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


def _sum_kinds(kinds: Sequence[str], alias: str = "") -> str:
    if not kinds:
        return f"SUM({alias}amount_minor)"
    return f"SUM(CASE WHEN {in_list(f'{alias}kind', kinds)} THEN {alias}amount_minor ELSE 0 END)"


def _count_kinds(kinds: Sequence[str], alias: str = "") -> str:
    if not kinds:
        return "COUNT(*)"
    return f"SUM(CASE WHEN {in_list(f'{alias}kind', kinds)} THEN 1 ELSE 0 END)"


def _diff(check: AmountCheck, left: str, right: str) -> str:
    return f"({left} - {right})" if check.relation == "equal" else f"({left} + {right})"


def _within(check: AmountCheck, left: str, right: str) -> str:
    diff = f"ABS{_diff(check, left, right)}"
    condition = f"{diff} <= {check.tolerance_minor}"
    if check.tolerance_bp:
        condition = f"({condition} OR {diff} * 10000 <= ABS({left}) * {check.tolerance_bp})"
    return condition


def _bound(check: AmountCheck, left: str, right: str) -> str:
    """``|right| <= |left|`` (plus the tolerance): the right side never takes more than the left."""
    return f"ABS({right}) <= ABS({left}) + {check.tolerance_minor}"


def check_holds(check: AmountCheck, i: int, left: str = "", right: str = "") -> str:
    """The condition under which check ``i`` holds for a group. Its sums are columns: on the
    ``left`` relation ``a{i}`` (left kinds), ``b{i}`` (alternative left kinds), ``h{i}`` and
    ``n{i}`` (left records of the if_left_has / if_left_lacks kinds); on ``right`` ``r{i}``.
    A check that does not apply to the group holds."""
    a, r = f"{left}a{i}", f"{right}r{i}"
    if check.at_most:
        holds = _bound(check, a, r)
    else:
        holds = _within(check, a, r)
        if check.alt_left_kinds:
            holds = f"({holds} OR {_within(check, f'{left}b{i}', r)})"
    applies = check_applies(check, i, left)
    return holds if applies == "TRUE" else f"(NOT ({applies}) OR {holds})"


def check_applies(check: AmountCheck, i: int, left: str = "") -> str:
    """Whether check ``i`` concerns the group at all (``TRUE`` for most checks)."""
    parts = []
    if check.if_left_has:
        parts.append(f"{left}h{i} > 0")
    if check.if_left_lacks:
        parts.append(f"{left}n{i} = 0")
    return " AND ".join(parts) or "TRUE"


def _left_sums(checks: Sequence[AmountCheck], alias: str = "") -> str:
    """Per check: the left sum, the alternative left sum and the applicability counts."""
    out = ""
    for i, c in enumerate(checks):
        out += f", {_sum_kinds(c.left_kinds, alias)} AS a{i}"
        if c.alt_left_kinds:
            out += f", {_sum_kinds(c.alt_left_kinds, alias)} AS b{i}"
        if c.if_left_has:
            out += f", {_count_kinds(c.if_left_has, alias)} AS h{i}"
        if c.if_left_lacks:
            out += f", {_count_kinds(c.if_left_lacks, alias)} AS n{i}"
    return out


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
    sums_l = _left_sums(checks)
    sums_r = "".join(f", {_sum_kinds(c.right_kinds)} AS r{i}" for i, c in enumerate(checks))
    conditions = ["lg.na >= 1", "rg.na >= 1"]
    if rule.cardinality in ("1:1", "1:n"):
        conditions.append("lg.na = 1")
    if rule.cardinality in ("1:1", "n:1"):
        conditions.append("rg.na = 1")
    conditions += [check_holds(c, i, "lg.", "rg.") for i, c in enumerate(checks) if c.enforce]
    when = ""
    if rule.window_days is not None:
        lo, hi = rule.window_days
        conditions.append(f"rg.t - lg.t BETWEEN {lo} AND {hi}")
        when = ", MIN(day) AS t"
    elif rule.window_seconds is not None:
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
WITH l AS (SELECT uid, {lk} AS k, kind, amount_minor, currency, ts_s, day FROM {source}
           WHERE side = 'L' AND {lk} IS NOT NULL AND {filter_sql(rule.left)}{slice_l}),
     r AS (SELECT uid, {rk} AS k, kind, amount_minor, currency, ts_s, day FROM {source}
           WHERE side = 'R' AND {rk} IS NOT NULL AND {filter_sql(rule.right)}{slice_r}),
     lg AS ({group.format(count=_count_kinds(rule.left_anchor_kinds), sums=sums_l, side="l", when=when)}),
     rg AS ({group.format(count=_count_kinds(rule.right_anchor_kinds), sums=sums_r, side="r", when=when)}),
     g AS (SELECT lg.k, lg.currency, lg.first AS grp FROM lg JOIN rg
           ON lg.k = rg.k AND lg.currency = rg.currency WHERE {" AND ".join(conditions)})
SELECT l.uid, g.grp FROM l JOIN g ON l.k = g.k AND l.currency = g.currency
UNION ALL
SELECT r.uid, g.grp FROM r JOIN g ON r.k = g.k AND r.currency = g.currency"""


def _pair_source(rule: Rule, source: str) -> tuple[str, str, str]:
    cols = ", ".join(dict.fromkeys(("uid", "ts_s", "day", "timed", "amount_minor", *rule.same)))
    left = (f"SELECT {cols} FROM {source} WHERE side = 'L' AND ts_s IS NOT NULL "
            f"AND {filter_sql(rule.left)}")
    right = (f"SELECT {cols} FROM {source} WHERE side = 'R' AND ts_s IS NOT NULL "
             f"AND {filter_sql(rule.right)}")
    same = " AND ".join(f"l.{c} = r.{c}" for c in rule.same) or "TRUE"
    return left, right, same


def in_window(rule: Rule, left: str = "l", right: str = "r") -> str:
    """``right − left`` within the rule's window. Days are calendar days in the template's time
    zone: a payout at 20:21 on the 2nd and a credit at 22:50 on the 5th are 3 days apart. On the
    first day of a window that starts at 0 the right record must not be earlier than the left,
    unless one of them carries a date only (many bank statements): then the same day is enough."""
    if rule.window_days is not None:
        lo, hi = rule.window_days
        condition = f"{right}.day - {left}.day BETWEEN {lo} AND {hi}"
        if lo == 0:
            condition += (f" AND ({right}.day > {left}.day OR NOT ({left}.timed AND {right}.timed) "
                          f"OR {right}.ts_s >= {left}.ts_s)")
        return condition
    assert rule.window_seconds is not None
    lo, hi = rule.window_seconds
    return f"{right}.ts_s - {left}.ts_s BETWEEN {lo} AND {hi}"


def window_candidates(rule: Rule, source: str) -> str:
    """Every (left, right) pair within the date window whose amounts agree."""
    left, right, same = _pair_source(rule, source)
    target = "l.amount_minor" if rule.relation == "equal" else "-l.amount_minor"
    if rule.tolerance_minor:
        amount = f"ABS(r.amount_minor - {target}) <= {rule.tolerance_minor}"
    else:
        amount = f"r.amount_minor = {target}"
    return f"""
SELECT l.uid AS luid, r.uid AS ruid, l.ts_s AS lts, r.ts_s AS rts, l.day AS lday, r.day AS rday,
       l.amount_minor AS lamt, r.amount_minor AS ramt
FROM ({left}) l JOIN ({right}) r ON {amount} AND {same}
WHERE {in_window(rule)}"""


def subset_candidates(rule: Rule, source: str) -> str:
    """For n:1, every (part, whole) pair: parts smaller than the whole, same direction, within
    the window. ``whole`` is the right record (n:1) or the left record (1:n)."""
    left, right, same = _pair_source(rule, source)
    sign = "=" if rule.relation == "equal" else "= -"
    part, whole = ("l", "r") if rule.direction == "n:1" else ("r", "l")
    return f"""
SELECT {whole}.uid AS whole_uid, {whole}.ts_s AS whole_ts, {whole}.amount_minor AS whole_amt,
       {part}.uid AS part_uid, {part}.ts_s AS part_ts, {part}.amount_minor AS part_amt
FROM ({left}) l JOIN ({right}) r ON {same}
WHERE {in_window(rule)}
  AND SIGN(l.amount_minor) {sign}SIGN(r.amount_minor) AND l.amount_minor <> 0
  AND ABS({part}.amount_minor) < ABS({whole}.amount_minor)"""


def _kinds_that_can_differ(checks: Sequence[AmountCheck]) -> tuple[str, ...]:
    """Where every enforced check is exact, a group can only differ through a check that is not
    enforced, and only if it holds a record of one of that check's kinds: those kinds, sorted.
    Empty when any group may differ."""
    loose = [c for c in checks if not c.enforce]
    if any(c.tolerance_minor or c.tolerance_bp for c in checks if c.enforce) or not loose:
        return ()
    kinds: set[str] = set()
    for c in loose:
        if not c.left_kinds or not c.right_kinds:
            return ()
        kinds.update(c.left_kinds, c.right_kinds, c.alt_left_kinds)
    return tuple(sorted(kinds))


def can_differ(rule: Rule) -> bool:
    """False when the rule only accepts groups whose checks agree exactly."""
    return any(not c.enforce or c.tolerance_minor or c.tolerance_bp for c in effective_checks(rule))


def group_sums(rule: Rule, members: str, work: str) -> str:
    """Per group of a rule that may differ: each check's sums (``a{i}``, ``b{i}``, ``h{i}``,
    ``n{i}`` of the left, ``r{i}`` of the right, as in :func:`check_holds`), for the
    differences report. Only groups where some check that applies does not hold exactly."""
    if not can_differ(rule):
        return ""
    checks = effective_checks(rule)
    if not checks:
        return ""
    exact = [replace(c, tolerance_minor=0, tolerance_bp=0) for c in checks]
    differs = " OR ".join(f"NOT {check_holds(c, i, 'lg.', 'rg.')}" for i, c in enumerate(exact))
    right = "".join(f", {_sum_kinds(c.right_kinds)} AS r{i}" for i, c in enumerate(checks))
    kinds = _kinds_that_can_differ(checks)
    scope = f"{members} m"
    if kinds:
        # most groups of an exact rule cannot differ: only those holding such a record can
        scope = (f"(SELECT * FROM {members} WHERE grp IN (SELECT x.grp FROM {members} x JOIN "
                 f"(SELECT uid FROM {work} WHERE {in_list('kind', kinds)}) k ON k.uid = x.uid)) m")
    return f"""
WITH mw AS (SELECT m.grp, w.side, w.kind, w.amount_minor, w.currency
            FROM {scope} JOIN {work} w ON w.uid = m.uid),
     lg AS (SELECT grp, MIN(currency) AS currency{_left_sums(checks)} FROM mw WHERE side = 'L' GROUP BY grp),
     rg AS (SELECT grp{right} FROM mw WHERE side = 'R' GROUP BY grp)
SELECT lg.*, {", ".join(f"rg.r{i}" for i in range(len(checks)))}
FROM lg JOIN rg ON lg.grp = rg.grp
WHERE {differs}"""


Lags = dict[str | None, int]  # right kind (None: the first right record of a group) → days


def _reason_case(rules: Sequence[ReasonRule], default: str, lags: Lags | None) -> str:
    whens = []
    for r in rules:
        def near(days: int, kinds: bool, r: ReasonRule = r) -> str:
            """The window in days; with ``observed``, at most the delay this run's matches show
            (per kind of the record for the right side, else to a group's first right record)."""
            if not r.observed or not lags:
                return str(days)
            by_kind = sorted((k, lag) for k, lag in lags.items() if k) if kinds else []
            first = min(days, lags.get(None, days))
            if not by_kind:
                return str(first)
            whens = " ".join(f"WHEN {literal(k)} THEN {min(days, lag)}" for k, lag in by_kind)
            return f"(CASE u.kind {whens} ELSE {days} END)"

        parts = []
        if r.kinds:
            parts.append(in_list("u.kind", r.kinds))
        if r.statuses:
            parts.append(in_list("u.status", r.statuses))
        if r.counterpart_key:
            parts.append(f"ck_{r.counterpart_key}.k IS NOT NULL")
        if r.near_other_end_days is not None:
            parts.append(f"u.day > o.d_max - {near(r.near_other_end_days, kinds=False)}")
        if r.near_other_start_days is not None:
            parts.append(f"u.day < o.d_min + {near(r.near_other_start_days, kinds=True)}")
        if r.other_currency:
            parts.append("(oc.c1 <> u.currency OR oc.c2 <> u.currency)")
        if r.sign == "positive":
            parts.append("u.amount_minor > 0")
        elif r.sign == "negative":
            parts.append("u.amount_minor < 0")
        whens.append(f"WHEN {' AND '.join(parts) or 'TRUE'} THEN {literal(r.reason)}")
    if not whens:
        return literal(default)
    return f"CASE {' '.join(whens)} ELSE {literal(default)} END"


def _side_case(e: Explanations, lags: Lags | None) -> str:
    return (f"CASE WHEN u.in_scope THEN {_reason_case(e.in_scope, e.default, lags)} "
            f"ELSE {_reason_case(e.out_of_scope, e.default_out_of_scope, lags)} END")


def observes_lag(template: Template) -> bool:
    return any(r.observed for e in (template.left_reasons, template.right_reasons)
               for r in (*e.in_scope, *e.out_of_scope))


#: one group in this many is looked at to measure the delay between the sides
LAG_SAMPLE = 16
#: a delay seen in fewer sampled groups than this is not evidence: the configured days apply
LAG_MIN_GROUPS = 30


def observed_lags(members: Sequence[str], work: str) -> str:
    """The longest delay in days from a match's first left record to its first right record of
    each kind (kind NULL: to its first right record of any kind), over a fixed sample of the
    groups (those whose id is a multiple of LAG_SAMPLE), where at least LAG_MIN_GROUPS show it."""
    union = " UNION ALL ".join(f"SELECT grp, uid FROM {m} WHERE grp % {LAG_SAMPLE} = 0" for m in members)
    late = "CASE WHEN r.rd > l.ld THEN r.rd - l.ld ELSE 0 END"
    return f"""
WITH s AS (SELECT m.grp, w.side, w.kind, w.day FROM ({union}) m JOIN {work} w ON w.uid = m.uid),
     l AS (SELECT grp, MIN(day) AS ld FROM s WHERE side = 'L' GROUP BY grp),
     r AS (SELECT grp, kind, MIN(day) AS rd FROM s WHERE side = 'R' GROUP BY grp, kind),
     f AS (SELECT grp, CAST(NULL AS VARCHAR) AS kind, MIN(rd) AS rd FROM r GROUP BY grp)
SELECT r.kind, MAX({late}) AS lag FROM r JOIN l ON r.grp = l.grp GROUP BY r.kind
HAVING COUNT(*) >= {LAG_MIN_GROUPS}
UNION ALL
SELECT MIN(r.kind) AS kind, MAX({late}) AS lag FROM f r JOIN l ON r.grp = l.grp
HAVING COUNT(*) >= {LAG_MIN_GROUPS}"""


def unmatched_reasons(template: Template, unmatched: str, work: str, lags: Lags | None = None) -> str:
    """(uid, side, in_scope, reason) for every record no rule claimed, in or out of scope.
    ``lags`` are the delays :func:`observed_lags` measured, for reason rules that ask for them.
    A row that belongs to another period does so whole: where the largest part of a split row
    is ``timing``, so are its other parts (a refund row's returned fee is not a fee without an
    order); otherwise each part keeps its own reason."""
    rules = (*template.left_reasons.in_scope, *template.left_reasons.out_of_scope,
             *template.right_reasons.in_scope, *template.right_reasons.out_of_scope)
    columns = sorted({r.counterpart_key for r in rules if r.counterpart_key})
    keysets = "".join(
        f", ks_{c} AS (SELECT DISTINCT side, {c} AS k FROM {work} WHERE in_scope AND {c} IN "
        f"(SELECT {c} FROM {unmatched} WHERE {c} IS NOT NULL))"
        for c in columns)
    joins = "".join(
        f" LEFT JOIN ks_{c} ck_{c} ON ck_{c}.side <> u.side AND ck_{c}.k = u.{c}" for c in columns)
    if any(r.other_currency for r in rules):
        # one row per (side, amount): the currencies its open records are in
        keysets += (f", ocs AS (SELECT side, ABS(amount_minor) AS a, MIN(currency) AS c1, "
                    f"MAX(currency) AS c2 FROM {unmatched} WHERE in_scope GROUP BY side, ABS(amount_minor))")
        joins += " LEFT JOIN ocs oc ON oc.side <> u.side AND oc.a = ABS(u.amount_minor)"
    return f"""
WITH ends AS (SELECT side, MIN(day) AS d_min, MAX(day) AS d_max FROM {work}
              WHERE in_scope GROUP BY side){keysets},
     each AS (SELECT u.uid, u.side, u.in_scope, u.part_key, u.amount_minor,
                     CASE WHEN u.side = 'L' THEN {_side_case(template.left_reasons, lags)}
                          ELSE {_side_case(template.right_reasons, lags)} END AS reason
              FROM {unmatched} u LEFT JOIN ends o ON o.side <> u.side{joins}),
     main AS (SELECT part_key, reason FROM (
                SELECT part_key, reason, ROW_NUMBER() OVER (
                    PARTITION BY part_key ORDER BY ABS(amount_minor) DESC, uid) AS n
                FROM each WHERE in_scope AND part_key IS NOT NULL) x
              WHERE n = 1 AND reason = {literal(Reason.TIMING)})
SELECT e.uid, e.side, e.in_scope, CASE WHEN e.in_scope AND m.reason IS NOT NULL THEN m.reason
                                       ELSE e.reason END AS reason
FROM each e LEFT JOIN main m ON e.part_key = m.part_key"""


def follow_keys(template: Template, rule: Rule) -> tuple[str, ...]:
    """The follow keys queried after ``rule``. (Skipping a key the rule itself grouped by would
    save a query, but the parts-only statement that leaves trips Spark 4's planner on the union
    with the rule's members: "key not found: grp"; kept whole until that is understood.)"""
    return template.follow.keys


def follow_ups(template: Template, rule: Rule, members: str, before: str, after: str) -> str:
    """Open records that belong with a group just matched: those sharing a follow key (in the
    same currency) with exactly one group, then the other parts of any source row a group now
    holds. (uid, grp, tier) like a rule's members; a record is listed once."""
    steps = []
    previous: list[str] = []
    for n, key in enumerate(follow_keys(template, rule)):
        exclude = "".join(f" AND NOT EXISTS (SELECT 1 FROM fk{p} x WHERE x.uid = a.uid)" for p in range(n))
        steps.append(f"""
     k{n} AS (SELECT b.{key} AS k, b.currency, MIN(m.grp) AS grp, MIN(m.tier) AS tier
             FROM {members} m JOIN {before} b ON b.uid = m.uid
             WHERE b.{key} IN (SELECT {key} FROM {after} WHERE {key} IS NOT NULL)
             GROUP BY b.{key}, b.currency HAVING MIN(m.grp) = MAX(m.grp)),
     fk{n} AS (SELECT a.uid, k{n}.grp, k{n}.tier FROM {after} a
              JOIN k{n} ON a.{key} = k{n}.k AND a.currency = k{n}.currency WHERE TRUE{exclude})""")
        previous.append(f"SELECT uid, grp, tier FROM fk{n}")
    by_key = " UNION ALL ".join(previous) or f"SELECT uid, grp, tier FROM {members} WHERE FALSE"
    steps.append(f"\n     byk AS ({by_key})")
    if template.follow.parts:
        steps.append(f"""
     pk AS (SELECT b.part_key AS k, MIN(x.grp) AS grp, MIN(x.tier) AS tier
            FROM (SELECT uid, grp, tier FROM {members} UNION ALL SELECT uid, grp, tier FROM byk) x
            JOIN {before} b ON b.uid = x.uid
            WHERE b.part_key IN (SELECT part_key FROM {after} WHERE part_key IS NOT NULL)
            GROUP BY b.part_key HAVING MIN(x.grp) = MAX(x.grp)),
     byp AS (SELECT a.uid, pk.grp, pk.tier FROM {after} a JOIN pk ON a.part_key = pk.k
             WHERE NOT EXISTS (SELECT 1 FROM byk x WHERE x.uid = a.uid))""")
        tail = "SELECT uid, grp, tier FROM byk UNION ALL SELECT uid, grp, tier FROM byp"
    else:
        tail = "SELECT uid, grp, tier FROM byk"
    return "WITH" + ",".join(steps) + "\n" + tail


def follows(template: Template, rule: Rule) -> bool:
    return bool(follow_keys(template, rule)) or template.follow.parts


def input_columns(template: Template) -> tuple[str, ...]:
    """The entry columns :func:`huikuan.engine.reconcile` reads for ``template``."""
    taken = [c for c in needed_columns(template) if c not in DERIVED_COLUMNS]
    return (*taken, "ts", "file", "line")
