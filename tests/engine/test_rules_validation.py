"""A rules file with a typo is refused with one line naming the file, the key path and the
nearest valid word; before, each of these typos ran and quietly changed the results."""

from __future__ import annotations

import typing
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from huikuan.domain.entry import Kind, Status
from huikuan.domain.errors import RuleError
from huikuan.domain.reasons import Reason
from huikuan.engine import load_rules_file
from huikuan.engine.rules import AmountCheck, ReasonRule, Rule, SideFilter, template_from_data

RULES = """\
name = "mine"
rounding_minor = 5

[scope.left]
kinds = ["order"]

[scope.right]
kinds = ["payment", "fee"]

[[rules]]
name = "by-order"
type = "key"
key = "order_ref"
cardinality = "1:n"
  [[rules.checks]]
  left_kinds = ["order"]
  right_kinds = ["payment"]
  relation = "equal"
  tolerance_minor = 5

[[rules]]
name = "by-amount"
type = "window"
window_days = [0, 3]
ties = "suggest"
left = { kinds = ["order"], sign = "positive" }

[reasons.left]
default = "not_settled"
rules = [ { statuses = ["closed"], reason = "order_closed" } ]
"""

# (what the user typed instead, the key path and problem the error names)
TYPOS = [
    (('ties = "suggest"', 'ties = "timeorder"'),
     'rules[1].ties: "timeorder" is not one of time_order, suggest'),
    (('relation = "equal"', 'relation = "equals"'),
     'rules[0].checks[0].relation: "equals" is not one of equal, opposite'),
    (('ties = "suggest"', 'ties = "suggest"\ndirection = "n1"'),
     'rules[1].direction: "n1" is not one of n:1, 1:n'),
    (('sign = "positive"', 'sign = "plus"'),
     'rules[1].left.sign: "plus" is not one of positive, negative'),
    (('cardinality = "1:n"', 'cardinality = "1:N"'),
     'rules[0].cardinality: "1:N" is not one of 1:n, 1:1, n:1, n:m'),
    (('type = "window"', 'type = "windows"'),
     'rules[1].type: "windows" is not one of window, key, subset'),
    (('type = "window"\n', ''),
     'rules[1].type: missing; one of key, window, subset'),
    (('tolerance_minor = 5', 'tolerance_minor = 0.05'),
     'rules[0].checks[0].tolerance_minor: 0.05 is not a whole number ≥ 0'),
    (('kinds = ["order"]\n\n[scope.right]', 'kinds = "order"\n\n[scope.right]'),
     'scope.left.kinds: expected a list [ … ], found "order"'),
    (('[scope.right]', '[scope.rigth]'),
     'scope.rigth: unknown key, not one of right, left'),
    (('window_days = [0, 3]', 'window_days = [0, 3]\nwindow_hours = [0, 72]'),
     'rules[1]: window_days and window_hours both given; keep one'),
    (('window_days = [0, 3]', 'window_days = 3'),
     'rules[1].window_days: expected [from, to] as two whole numbers, found 3'),
]

# long lists: the error starts with the nearest word, then names the others
TYPOS_IN_LONG_LISTS = [
    (('ties = "suggest"', 'tie = "suggest"'), 'rules[1].tie: unknown key, not one of ties, name, type, '),
    (('"payment", "fee"', '"payment", "fees"'), 'scope.right.kinds[1]: "fees" is not one of fee, order, '),
    (('statuses = ["closed"]', 'statuses = ["close"]'),
     'reasons.left.rules[0].statuses[0]: "close" is not one of closed, unpaid, '),
    (('reason = "order_closed"', 'reason = "order_close"'),
     'reasons.left.rules[0].reason: "order_close" is not one of order_closed, not_settled, '),
    (('default = "not_settled"', 'default = "not_setled"'),
     'reasons.left.default: "not_setled" is not one of not_settled, unpaid, '),
    (('key = "order_ref"', 'key = "order_no"'), 'rules[0].key: "order_no" is not one of order_ref, '),
    (('rounding_minor = 5', 'rounding = 5'), 'rounding: unknown key, not one of rounding_minor, name, '),
]


def refusal(tmp_path: Path, typo: tuple[str, str]) -> str:
    old, new = typo
    assert old in RULES
    path = tmp_path / "mine.toml"
    path.write_text(RULES.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RuleError) as refused:
        load_rules_file(path)
    message = str(refused.value)
    assert "\n" not in message
    prefix = f"{path}: "
    assert message.startswith(prefix)
    return message.removeprefix(prefix)


def test_the_rules_file_without_typos_loads(tmp_path: Path):
    path = tmp_path / "mine.toml"
    path.write_text(RULES, encoding="utf-8")
    template = load_rules_file(path)
    assert [r.ties for r in template.rules] == ["suggest", "suggest"]
    assert template.rules[0].checks[0].tolerance_minor == 5


@pytest.mark.parametrize(("typo", "expected"), TYPOS, ids=[e.split(":")[0] for _, e in TYPOS])
def test_a_typo_is_refused_with_its_path_and_the_valid_words(tmp_path: Path, typo, expected):
    assert refusal(tmp_path, typo) == expected


@pytest.mark.parametrize(("typo", "expected"), TYPOS_IN_LONG_LISTS,
                         ids=[e.split(":")[0] for _, e in TYPOS_IN_LONG_LISTS])
def test_a_typo_among_many_words_names_the_nearest_first(tmp_path: Path, typo, expected):
    assert refusal(tmp_path, typo).startswith(expected)


def test_a_counterparty_pattern_that_is_not_a_regular_expression(tmp_path: Path):
    message = refusal(tmp_path, ('sign = "positive"', 'counterparty = "[支付宝"'))
    assert message.startswith('rules[1].left.counterparty: "[支付宝" is not a regular expression')


# ---- what the rules may say is read from the dataclasses, not a second list ------------------

def base_data() -> dict[str, Any]:
    import tomllib

    return tomllib.loads(RULES)


def literal_values(cls: type) -> list[tuple[str, object]]:
    """(field, value) for every value of every Literal-typed field of ``cls``."""
    out = []
    for f in fields(cls):
        hint = typing.get_type_hints(cls)[f.name]
        for arg in (hint, *typing.get_args(hint)):
            if typing.get_origin(arg) is typing.Literal:
                out += [(f.name, value) for value in typing.get_args(arg)]
    return out


def place(data: dict[str, Any], cls: type) -> dict[str, Any]:
    """Where a table of class ``cls`` sits in :data:`RULES`."""
    data["rules"][1]["key"] = "order_ref"  # the window rule can then be any type of rule
    return {Rule: data["rules"][1], SideFilter: data["scope"]["left"],
            AmountCheck: data["rules"][0]["checks"][0], ReasonRule: data["reasons"]["left"]["rules"][0]}[cls]


@pytest.mark.parametrize("cls", [Rule, SideFilter, AmountCheck, ReasonRule], ids=lambda c: c.__name__)
def test_every_value_the_dataclasses_declare_is_accepted(cls: type):
    declared = literal_values(cls)
    assert declared, f"{cls.__name__} declares no enumeration"
    for name, value in declared:
        data = base_data()
        place(data, cls)[name] = value
        template = template_from_data(data, "mine.toml")
        assert template.name == "mine", (name, value)


@pytest.mark.parametrize(("key", "values"), [("kinds", list(Kind)), ("statuses", list(Status))])
def test_every_kind_and_status_is_accepted(key: str, values: list[str]):
    data = base_data()
    data["scope"]["right"][key] = [str(v) for v in values]
    assert len(getattr(template_from_data(data, "mine.toml").right_scope, key)) == len(values)


def test_every_reason_code_is_accepted():
    for reason in Reason:
        data = base_data()
        data["reasons"]["left"]["rules"][0]["reason"] = str(reason)
        data["rules"][0]["checks"][0]["reason_if_right_smaller"] = str(reason)
        assert template_from_data(data, "mine.toml").left_reasons.in_scope[0].reason == reason


def test_docs_name_every_key_a_rules_file_may_use():
    from huikuan.engine.rules import Explanations, FollowUps, Template
    from huikuan.engine.validate import toml_keys
    from tests.conftest import ROOT

    docs = (ROOT / "docs" / "RULES.md").read_text(encoding="utf-8")
    keys = {key for cls in (Template, Rule, SideFilter, AmountCheck, Explanations, ReasonRule, FollowUps)
            for key in toml_keys(cls)}
    assert sorted(k for k in keys if f"`{k}`" not in docs) == []
