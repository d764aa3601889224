"""What a caller of the engine sees when the input or a backend fails: the side and column, or
the rule and its SQL, in one line — not a KeyError or a raw DuckDB traceback."""

from __future__ import annotations

import logging

import pyarrow as pa
import pytest

from huikuan.domain.errors import BackendError, EntriesError
from huikuan.engine import load_template, reconcile
from huikuan.engine.rules import template_from_data
from tests.engine.entries import entries, line, order

TEMPLATE = load_template("orders-settlement")
LEFT = entries(order("A1", 9900, 1))
RIGHT = entries(line("p1", "payment", 9900, 2, order_ref="A1"))


def replaced(table: pa.Table, name: str, column: pa.Array | pa.ChunkedArray) -> pa.Table:
    return table.set_column(table.schema.get_field_index(name), name, column)


@pytest.mark.parametrize(("left", "right", "message"), [
    (LEFT.drop_columns(["order_ref"]), RIGHT,
     "left side: column 'order_ref' is missing (the template reads it; see domain.entry.ENTRY_SCHEMA)"),
    (LEFT, replaced(RIGHT, "amount_minor", pa.array([99.0])),
     "right side: column 'amount_minor' is double, expected int64"),
    (LEFT, replaced(RIGHT, "ts", RIGHT["ts"].cast(pa.timestamp("ns", tz="UTC"))),
     "right side: column 'ts' is timestamp[ns, tz=UTC], expected timestamp[us, tz=UTC]"),
    (replaced(LEFT, "currency", pa.array([None], pa.string())), RIGHT,
     "left side: column 'currency' is empty in 1 row(s), the first at row 0"),
], ids=["missing", "float-money", "nanoseconds", "empty-currency"])
def test_tables_are_checked_against_the_entry_schema(left, right, message):
    with pytest.raises(EntriesError) as refused:
        reconcile(left, right, TEMPLATE)
    assert str(refused.value) == message


def test_text_in_another_arrow_encoding_is_accepted():
    right = replaced(RIGHT, "order_ref", RIGHT["order_ref"].cast(pa.large_string()))
    result = reconcile(LEFT, right, TEMPLATE)
    assert result.matches.num_rows == 2


def test_a_failing_statement_names_its_rule_and_keeps_the_sql(caplog: pytest.LogCaptureFixture):
    # Python accepts a look-ahead, DuckDB's regular expressions (RE2) do not
    data = {"name": "lookahead", "rules": [
        {"name": "by-counterparty", "type": "key", "key": "order_ref",
         "right": {"counterparty": "(?=支付宝)"}}]}
    template = template_from_data(data, "lookahead.toml")
    right = entries(line("p1", "payment", 9900, 2, order_ref="A1", counterparty="支付宝"))
    with caplog.at_level(logging.DEBUG, logger="huikuan.engine"), pytest.raises(BackendError) as failed:
        reconcile(LEFT, right, template, backend="duckdb")
    assert str(failed.value).startswith('rule "by-counterparty" failed on duckdb: ')
    assert "\n" not in str(failed.value)
    assert failed.value.rule == "by-counterparty"
    assert "regexp_matches(COALESCE(counterparty, ''), '(?=支付宝)')" in failed.value.sql
    logged = [r.getMessage() for r in caplog.records if "by-counterparty" in r.getMessage()]
    assert len(logged) == 1
    assert failed.value.sql in logged[0]  # a user can rerun the statement from the debug log
