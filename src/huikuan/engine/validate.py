"""Rules files fail loudly: a typo is refused with its place and the nearest valid word.

Before this check, ``ties = "timeorder"`` ran as ``suggest`` and ``kinds = ["refnd"]`` selected
nothing: the run succeeded and the results were quietly different. Now every key, enumeration
value, kind, status, reason code and column of a rules file is checked before the template is
built, and the first problem stops the run with one line::

    my-rules.toml: rules[2].ties: "timeorder" is not one of time_order, suggest

The accepted keys and values are derived from the dataclasses in :mod:`huikuan.engine.rules`
(their fields, and ``typing.get_args`` of their ``Literal`` types) plus the TOML spellings
declared next to the loader (``TOML_SPELLINGS``), so a field or value the rules gain is accepted
here with no second edit. What a plain-text field means follows from its name (see
:func:`_vocabulary`): ``…kinds`` are entry kinds, ``…statuses`` statuses, ``reason…`` and
``default…`` reason codes, ``…key``, ``same``, ``missing`` and ``present`` columns.
"""

from __future__ import annotations

import difflib
import re
import types
from collections.abc import Iterable
from dataclasses import MISSING, fields, is_dataclass
from functools import cache
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import pyarrow as pa
import pyarrow.compute as pc

from huikuan.domain.entry import ENTRY_SCHEMA, Kind, Status
from huikuan.domain.errors import EntriesError, RuleError
from huikuan.domain.reasons import Reason
from huikuan.domain.roles import Role
from huikuan.engine.rules import EXCLUSIVE, KEY_COLUMNS, TOML_SPELLINGS, Rule, Template

#: Fields without a default that the loader fills when a file leaves them out.
_LOADER_DEFAULTS = frozenset({(Template, "title"), (Rule, "name")})


class _Invalid(Exception):
    """The first problem found, with the key path where it is."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


def check_rules_data(data: dict[str, Any], origin: str) -> None:
    """Raise :class:`RuleError` ``<origin>: <key path>: <problem>`` for the first key or value of
    a parsed rules file that is not valid; return quietly when everything is known."""
    try:
        _table(data, Template, "")
    except _Invalid as exc:
        raise RuleError(f"{origin}: {exc}") from None


def nearest_first(word: object, choices: Iterable[str]) -> str:
    """``choices`` as a comma-separated list, the one closest to ``word`` (if any is close) first."""
    ordered = list(dict.fromkeys(choices))
    close = difflib.get_close_matches(str(word), ordered, n=1, cutoff=0.6)
    if close:
        ordered.remove(close[0])
        ordered.insert(0, close[0])
    return ", ".join(ordered)


def _shown(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)


def _not_one_of(path: str, value: object, choices: Iterable[str]) -> _Invalid:
    return _Invalid(path, f"{_shown(value)} is not one of {nearest_first(value, choices)}")


def _at(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


@cache
def toml_keys(cls: type) -> dict[str, tuple[str, ...]]:
    """TOML key → the fields of ``cls`` it fills (two for ``scope``, ``reasons`` and ``key``)."""
    spellings = TOML_SPELLINGS.get(cls, {})
    keys: dict[str, tuple[str, ...]] = {}
    for f in fields(cls):
        for key in spellings.get(f.name, (f.name,)):
            keys[key] = (*keys.get(key, ()), f.name)
    return keys


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def _table(value: object, cls: type, path: str) -> None:
    if not isinstance(value, dict):
        raise _Invalid(path or "(file)", f"expected a table of keys, found {_shown(value)}")
    keys = toml_keys(cls)
    for key in value:
        if key not in keys:
            raise _Invalid(_at(path, key), f"unknown key, not one of {nearest_first(key, keys)}")
    _required(value, cls, path)
    twice = _renamed_twice(value, keys) + [list(pair) for pair in EXCLUSIVE.get(cls, ())
                                            if all(k in value for k in pair)]
    if twice:
        raise _Invalid(path or "(file)", f"{' and '.join(twice[0])} both given; keep one")
    hints = _hints(cls)
    for key, item in value.items():
        filled = keys[key]
        if len(filled) == 2 and all(is_dataclass(hints[name]) for name in filled):
            _sides(item, {name.split("_", 1)[0]: hints[name] for name in filled}, _at(path, key))
        else:
            _value(item, hints[filled[0]], _at(path, key), key)


def _required(value: dict[str, Any], cls: type, path: str) -> None:
    """Fields without a default (``type`` of a rule, ``reason`` of a reason rule) must be given."""
    keys = toml_keys(cls)
    for f in fields(cls):
        if f.default is not MISSING or f.default_factory is not MISSING or (cls, f.name) in _LOADER_DEFAULTS:
            continue
        if not any(key in value for key, filled in keys.items() if f.name in filled):
            hint = _hints(cls)[f.name]
            options = f"; one of {', '.join(get_args(hint))}" if get_origin(hint) is Literal else ""
            raise _Invalid(_at(path, f.name), f"missing{options}")


def _renamed_twice(value: dict[str, Any], keys: dict[str, tuple[str, ...]]) -> list[list[str]]:
    """Fields set by two different spellings, neither of them the field's own name
    (``window_days`` and ``window_hours``): the loader would silently take one."""
    by_field: dict[str, list[str]] = {}
    for key in value:
        for name in keys[key]:
            if key != name and len(keys[key]) == 1:
                by_field.setdefault(name, []).append(key)
    return [given for given in by_field.values() if len(given) > 1]


def _sides(value: object, sides: dict[str, Any], path: str) -> None:
    """A ``{left = …, right = …}`` table (``scope``, ``reasons``)."""
    if not isinstance(value, dict):
        raise _Invalid(path, f"expected a table with {' and/or '.join(sides)}, found {_shown(value)}")
    for side, item in value.items():
        if side not in sides:
            raise _Invalid(_at(path, side), f"unknown key, not one of {nearest_first(side, sides)}")
        _table(item, sides[side], _at(path, side))


def _value(value: object, hint: Any, path: str, name: str) -> None:
    """Check one value against the field's type; ``name`` is its TOML key, for its vocabulary."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        (hint,) = [a for a in get_args(hint) if a is not type(None)]
        origin = get_origin(hint)
    if origin is Literal:
        if value not in get_args(hint):
            raise _not_one_of(path, value, get_args(hint))
    elif is_dataclass(hint):
        _table(value, hint, path)  # type: ignore[arg-type]  # a dataclass type, not an instance
    elif origin is tuple and get_args(hint)[1:] == (Ellipsis,):
        if not isinstance(value, list):
            raise _Invalid(path, f"expected a list [ … ], found {_shown(value)}")
        for i, item in enumerate(value):
            _value(item, get_args(hint)[0], f"{path}[{i}]", name)
    elif origin is tuple:
        _pair(value, path)
    elif hint is bool:
        if not isinstance(value, bool):
            raise _Invalid(path, f"{_shown(value)} is not true or false")
    elif hint is int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise _Invalid(path, f"{_shown(value)} is not a whole number ≥ 0")
    elif hint is str:
        _text(value, path, name)
    elif hint is Role and value not in tuple(Role):
        raise _not_one_of(path, value, tuple(Role))


def _pair(value: object, path: str) -> None:
    """``[from, to]``: a window in whole calendar days or whole hours."""
    if not (isinstance(value, list) and len(value) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
        raise _Invalid(path, f"expected [from, to] as two whole numbers, found {_shown(value)}")


def _text(value: object, path: str, name: str) -> None:
    if not isinstance(value, str):
        raise _Invalid(path, f"{_shown(value)} is not text")
    vocabulary = _vocabulary(name)
    if vocabulary is not None and value not in vocabulary:
        raise _not_one_of(path, value, vocabulary)
    if name == "counterparty":
        try:
            re.compile(value)
        except re.error as exc:
            raise _Invalid(path, f"{_shown(value)} is not a regular expression ({exc})") from None


def _vocabulary(name: str) -> tuple[str, ...] | None:
    """The values a text field may take, by the field's name; None when it is free text."""
    if name.endswith("kinds") or name in {"if_left_has", "if_left_lacks"}:
        return tuple(Kind)
    if name.endswith("statuses"):
        return tuple(Status)
    if name == "reason" or name.startswith(("reason_", "default")):
        return tuple(Reason)
    if name.endswith("key") or name in {"same", "missing", "present", "keys"}:
        return tuple(sorted(KEY_COLUMNS))
    return None


# ---- the tables handed to the engine ---------------------------------------------------------

def check_entries(left: pa.Table, right: pa.Table, working_columns: Iterable[str]) -> None:
    """Raise :class:`EntriesError` naming the side and column when a table lacks a column the
    template reads, holds it in another type, or leaves a required one empty. Without this a
    caller of the library API met a ``KeyError`` (or, for a timestamp in nanoseconds, dates a
    thousand times off) from deep inside the engine."""
    wanted = list(working_columns)
    for side, table in (("left", left), ("right", right)):
        for name in wanted:
            problem = _column_problem(table, name)
            if problem:
                raise EntriesError(f"{side} side: column {name!r} {problem}")


def _column_problem(table: pa.Table, name: str) -> str | None:
    expected = ENTRY_SCHEMA.field(name)
    if name not in table.column_names:
        return "is missing (the template reads it; see domain.entry.ENTRY_SCHEMA)"
    column = table[name]
    actual = column.type
    if pa.types.is_null(actual):
        return None if expected.nullable else "is empty in every row"
    if not _same_kind(actual, expected.type):
        return f"is {actual}, expected {expected.type}"
    if not expected.nullable and column.null_count:
        first = pc.index(pc.is_null(column), True).as_py()
        return f"is empty in {column.null_count} row(s), the first at row {first}"
    return None


def _same_kind(actual: pa.DataType, expected: pa.DataType) -> bool:
    """Types the engine reads alike: any text encoding, any integer for money, but timestamps
    only in microseconds (the unit the engine turns into seconds)."""
    if pa.types.is_dictionary(actual):
        actual = actual.value_type
    if pa.types.is_string(expected):
        return any(test(actual) for test in (pa.types.is_string, pa.types.is_large_string,
                                             pa.types.is_string_view))
    if pa.types.is_integer(expected):
        return bool(pa.types.is_integer(actual))
    if pa.types.is_timestamp(expected):
        return bool(pa.types.is_timestamp(actual) and actual.unit == expected.unit)
    return bool(actual == expected)
