"""Declarative matching rules and templates.

A template is an ordered list of rules plus what is in scope on each side and how unmatched
records are explained. Rules are data (loaded from TOML); the SQL that runs them is generated
from this data in one dialect (:mod:`huikuan.engine.sql`) and never written twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from huikuan.domain.errors import RuleError
from huikuan.domain.reasons import Reason
from huikuan.domain.roles import Role

RuleType = Literal["key", "window", "subset"]
Tier = Literal["auto", "suggested"]
Relation = Literal["equal", "opposite"]
Cardinality = Literal["1:1", "1:n", "n:1", "n:m"]
Ties = Literal["time_order", "suggest"]
Calendar = Literal["none", "cn"]
#: status codes as stored while matching (a byte a record, not a string)
TIERS: tuple[Tier, Tier] = ("auto", "suggested")

#: Columns a rule may name (keys, blocking, filters). Anything else is refused.
KEY_COLUMNS = frozenset({"order_ref", "batch_ref", "record_id", "account", "counterparty", "currency"})
DAY = 86_400


@dataclass(frozen=True)
class SideFilter:
    """Which records of one side a rule (or the scope) looks at."""

    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()          # columns that must be empty
    present: tuple[str, ...] = ()          # columns that must be filled
    counterparty: str | None = None        # a regular expression
    sign: Literal["positive", "negative"] | None = None


@dataclass(frozen=True)
class AmountCheck:
    """``sum(left kinds) ≈ relation · sum(right kinds)`` within a tolerance."""

    left_kinds: tuple[str, ...] = ()
    right_kinds: tuple[str, ...] = ()
    relation: Relation = "equal"
    tolerance_minor: int = 0
    tolerance_bp: int = 0                  # basis points of the left amount
    reason: str = Reason.AMOUNT_MISMATCH
    reason_if_right_smaller: str | None = None
    reason_if_right_larger: str | None = None
    enforce: bool = True                   # False: only report the difference, never reject
    #: the right sum may also equal the sum of these left kinds (an order refunded before
    #: settlement is paid net: order + order_refund)
    alt_left_kinds: tuple[str, ...] = ()
    #: the check applies only to groups with (or without) a left record of these kinds; where it
    #: does not apply it is neither enforced nor reported
    if_left_has: tuple[str, ...] = ()
    if_left_lacks: tuple[str, ...] = ()
    #: a bound, not an equation: holds while |right| <= |left| (+ tolerance); a difference is
    #: reported only when the bound is broken
    at_most: bool = False


@dataclass(frozen=True)
class Rule:
    """One rule. ``type`` selects the evidence: a shared key, amount + date window, or a
    bounded subset sum."""

    name: str
    type: RuleType
    tier: Tier = "auto"
    left: SideFilter = SideFilter()
    right: SideFilter = SideFilter()
    # key rules
    left_key: str | None = None
    right_key: str | None = None
    cardinality: Cardinality = "1:1"
    left_anchor_kinds: tuple[str, ...] = ()
    right_anchor_kinds: tuple[str, ...] = ()
    checks: tuple[AmountCheck, ...] = ()
    # window and subset rules (and an optional window on key groups)
    relation: Relation = "equal"
    tolerance_minor: int = 0
    #: right − left in calendar days of the template's time zone (``window_days``) …
    window_days: tuple[int, int] | None = None
    #: … or in seconds (``window_hours``)
    window_seconds: tuple[int, int] | None = None
    #: window rules: a pair later than this many calendar days (extended over days off by
    #: ``calendar``) is at most suggested, however certain
    auto_days: int | None = None
    calendar: Calendar = "cn"
    same: tuple[str, ...] = ("currency",)
    ties: Ties = "suggest"
    max_items: int = 4
    max_candidates: int = 16
    direction: Literal["n:1", "1:n"] = "n:1"
    description: str = ""


@dataclass(frozen=True)
class ReasonRule:
    """``reason`` applies to an unmatched record when every condition holds."""

    reason: str
    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    counterpart_key: str | None = None     # its key value exists on the other side
    near_other_end_days: int | None = None  # within N days of the other side's last record
    near_other_start_days: int | None = None
    sign: Literal["positive", "negative"] | None = None
    #: an unmatched record of the same amount waits on the other side, in another currency
    other_currency: bool = False
    #: near_other_*_days shortened to the longest delay between the sides that this run's
    #: matches show (a WeChat payment settles at once, a Taobao order up to ten days later)
    observed: bool = False


@dataclass(frozen=True)
class Explanations:
    in_scope: tuple[ReasonRule, ...] = ()
    out_of_scope: tuple[ReasonRule, ...] = ()
    default: str = Reason.NO_COUNTERPART
    default_out_of_scope: str = Reason.OUT_OF_SCOPE


@dataclass(frozen=True)
class FollowUps:
    """What joins a group once it is matched (``[follow]`` in a rules file)."""

    #: open records sharing one of these keys with exactly one group join it (an order takes all
    #: its rows: fees keyed in 备注, refunds, subsidies)
    keys: tuple[str, ...] = ()
    #: the parts of one source row (same file and line: gross and fee) stay together
    parts: bool = True


@dataclass(frozen=True)
class Template:
    name: str
    title: str
    rules: tuple[Rule, ...]
    left_scope: SideFilter = SideFilter()
    right_scope: SideFilter = SideFilter()
    left_roles: tuple[Role, ...] = ()
    right_roles: tuple[Role, ...] = ()
    left_reasons: Explanations = Explanations()
    right_reasons: Explanations = Explanations()
    rounding_minor: int = 5
    #: calendar days (date windows, lateness) are counted in this time zone
    timezone: str = "Asia/Shanghai"
    follow: FollowUps = FollowUps()
    description: str = field(default="", compare=False)


# ---- loading from plain data (TOML) --------------------------------------------------------

#: The TOML keys that fill a field under another name, per class (a field listed here is written
#: only as these keys). Every other field is a TOML key of its own name: engine/validate.py derives
#: the accepted keys and enumeration values from the dataclasses and this table.
#: keys of one table that exclude each other
EXCLUSIVE: dict[type, tuple[tuple[str, str], ...]] = {Rule: (("window_days", "window_hours"),)}

TOML_SPELLINGS: dict[type, dict[str, tuple[str, ...]]] = {
    Template: {"left_scope": ("scope",), "right_scope": ("scope",),
               "left_reasons": ("reasons",), "right_reasons": ("reasons",)},
    Rule: {"left_key": ("left_key", "key"), "right_key": ("right_key", "key"),
           "window_seconds": ("window_hours",)},
    Explanations: {"in_scope": ("rules",)},
}


def template_from_data(data: dict[str, Any], origin: str) -> Template:
    """Build and validate a :class:`Template` from parsed TOML; errors name the origin."""
    from huikuan.engine.validate import check_rules_data  # it reads the classes above

    check_rules_data(data, origin)
    try:
        scope = data.get("scope", {})
        rules = tuple(_rule(r, i) for i, r in enumerate(data.get("rules", [])))
        if not rules:
            raise RuleError("no [[rules]]")
        names = [r.name for r in rules]
        if len(set(names)) != len(names):
            raise RuleError("rule names must be unique")
        reasons = data.get("reasons", {})
        return Template(
            name=str(data["name"]), title=str(data.get("title", data["name"])), rules=rules,
            left_scope=_filter(scope.get("left", {})), right_scope=_filter(scope.get("right", {})),
            left_roles=tuple(map(Role, data.get("left_roles", ()))),
            right_roles=tuple(map(Role, data.get("right_roles", ()))),
            left_reasons=_explanations(reasons.get("left", {})),
            right_reasons=_explanations(reasons.get("right", {})),
            rounding_minor=int(data.get("rounding_minor", 5)),
            timezone=_timezone(str(data.get("timezone", "Asia/Shanghai"))),
            follow=FollowUps(keys=tuple(_column(c) for c in data.get("follow", {}).get("keys", ())),
                             parts=bool(data.get("follow", {}).get("parts", True))),
            description=str(data.get("description", "")),
        )
    except RuleError as exc:
        raise RuleError(f"{origin}: {exc}") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise RuleError(f"{origin}: invalid rules ({exc!r})") from None


_FILTER_KEYS = {"kinds", "statuses", "missing", "present", "counterparty", "sign"}


def _filter(data: dict[str, Any]) -> SideFilter:
    unknown = set(data) - _FILTER_KEYS
    if unknown:
        raise RuleError(f"unknown filter keys {sorted(unknown)}")
    for column in (*data.get("missing", ()), *data.get("present", ())):
        _column(column)
    if data.get("counterparty"):
        re.compile(data["counterparty"])
    return SideFilter(
        kinds=tuple(data.get("kinds", ())), statuses=tuple(data.get("statuses", ())),
        missing=tuple(data.get("missing", ())), present=tuple(data.get("present", ())),
        counterparty=data.get("counterparty"), sign=data.get("sign"),
    )


def _column(name: str) -> str:
    if name not in KEY_COLUMNS:
        raise RuleError(f"unknown column {name!r}; use one of {sorted(KEY_COLUMNS)}")
    return name


def _timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise RuleError(f"timezone: {name!r} is not a time zone (e.g. Asia/Shanghai)") from None
    return name


def _days(data: dict[str, Any]) -> tuple[int, int] | None:
    if "window_days" not in data:
        return None
    lo, hi = data["window_days"]
    if int(lo) != lo or int(hi) != hi:
        raise RuleError("window_days counts whole calendar days; use window_hours for less")
    return int(lo), int(hi)


def _seconds(data: dict[str, Any]) -> tuple[int, int] | None:
    if "window_hours" not in data:
        return None
    lo, hi = data["window_hours"]
    return int(lo) * 3600, int(hi) * 3600


def _check(data: dict[str, Any]) -> AmountCheck:
    return AmountCheck(
        left_kinds=tuple(data.get("left_kinds", ())), right_kinds=tuple(data.get("right_kinds", ())),
        relation=data.get("relation", "equal"), tolerance_minor=int(data.get("tolerance_minor", 0)),
        tolerance_bp=int(data.get("tolerance_bp", 0)), reason=data.get("reason", Reason.AMOUNT_MISMATCH),
        reason_if_right_smaller=data.get("reason_if_right_smaller"),
        reason_if_right_larger=data.get("reason_if_right_larger"),
        enforce=bool(data.get("enforce", True)),
        alt_left_kinds=tuple(data.get("alt_left_kinds", ())),
        if_left_has=tuple(data.get("if_left_has", ())),
        if_left_lacks=tuple(data.get("if_left_lacks", ())),
        at_most=bool(data.get("at_most", False)),
    )


def _rule(data: dict[str, Any], index: int) -> Rule:
    name = str(data.get("name") or f"rule-{index + 1}")
    kind = data.get("type")
    if kind not in ("key", "window", "subset"):
        raise RuleError(f"rule {name!r}: type must be key, window or subset")
    tier = data.get("tier", "auto")
    if tier not in ("auto", "suggested"):
        raise RuleError(f"rule {name!r}: tier must be auto or suggested")
    key = data.get("key")
    left_key = data.get("left_key", key)
    right_key = data.get("right_key", key)
    if kind == "key":
        if not left_key or not right_key:
            raise RuleError(f"rule {name!r}: a key rule needs key (or left_key and right_key)")
        _column(left_key)
        _column(right_key)
        if data.get("cardinality", "1:1") not in ("1:1", "1:n", "n:1", "n:m"):
            raise RuleError(f"rule {name!r}: cardinality must be 1:1, 1:n, n:1 or n:m")
    days, seconds = _days(data), _seconds(data)
    if days is not None and seconds is not None:
        raise RuleError(f"rule {name!r}: give window_days or window_hours, not both")
    window = days if days is not None else seconds
    if kind in ("window", "subset") and window is None:
        raise RuleError(f"rule {name!r}: a {kind} rule needs window_days (or window_hours)")
    if window is not None and window[0] > window[1]:
        raise RuleError(f"rule {name!r}: the window's start is after its end")
    auto_days = data.get("auto_days")
    if auto_days is not None and days is None:
        raise RuleError(f"rule {name!r}: auto_days goes with window_days")
    for column in data.get("same", ()):
        _column(column)
    return Rule(
        name=name, type=kind, tier=tier,
        left=_filter(data.get("left", {})), right=_filter(data.get("right", {})),
        left_key=left_key, right_key=right_key, cardinality=data.get("cardinality", "1:1"),
        left_anchor_kinds=tuple(data.get("left_anchor_kinds", ())),
        right_anchor_kinds=tuple(data.get("right_anchor_kinds", ())),
        checks=tuple(_check(c) for c in data.get("checks", ())),
        relation=data.get("relation", "equal"), tolerance_minor=int(data.get("tolerance_minor", 0)),
        window_days=days, window_seconds=seconds,
        auto_days=None if auto_days is None else int(auto_days),
        calendar=data.get("calendar", "cn"), same=tuple(data.get("same", ("currency",))),
        ties=data.get("ties", "suggest"), max_items=int(data.get("max_items", 4)),
        max_candidates=int(data.get("max_candidates", 16)), direction=data.get("direction", "n:1"),
        description=str(data.get("description", "")),
    )


def _explanations(data: dict[str, Any]) -> Explanations:
    def one(item: dict[str, Any]) -> ReasonRule:
        return ReasonRule(
            reason=str(item["reason"]), kinds=tuple(item.get("kinds", ())),
            statuses=tuple(item.get("statuses", ())),
            counterpart_key=_column(item["counterpart_key"]) if item.get("counterpart_key") else None,
            near_other_end_days=item.get("near_other_end_days"),
            near_other_start_days=item.get("near_other_start_days"), sign=item.get("sign"),
            other_currency=bool(item.get("other_currency", False)),
            observed=bool(item.get("observed", False)),
        )

    return Explanations(
        in_scope=tuple(one(i) for i in data.get("rules", ())),
        out_of_scope=tuple(one(i) for i in data.get("out_of_scope", ())),
        default=str(data.get("default", Reason.NO_COUNTERPART)),
        default_out_of_scope=str(data.get("default_out_of_scope", Reason.OUT_OF_SCOPE)),
    )
