"""The working table: calendar days in the template's time zone, date-only records, the parts
of a split source row."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from huikuan.domain.calendar import day_number
from huikuan.engine.reconciler import prepare
from tests.engine.entries import entries, line


def working(rows, timezone="Asia/Shanghai"):
    table = prepare(entries(*rows), entries(), timezone=timezone)
    return table.to_pylist()


@pytest.mark.parametrize("timezone", ["Asia/Shanghai", "Europe/Berlin", "America/New_York"])
def test_day_is_the_local_calendar_day_also_across_a_clock_change(timezone):
    zone = ZoneInfo(timezone)
    stamps = [datetime(2024, 3, 30, 23, 30, tzinfo=zone), datetime(2024, 3, 31, 0, 30, tzinfo=zone),
              datetime(2024, 3, 31, 23, 59, tzinfo=zone), datetime(2024, 11, 3, 0, 0, tzinfo=zone),
              datetime(2024, 11, 3, 23, 30, tzinfo=zone), datetime(2025, 1, 1, 0, 0, tzinfo=zone)]
    rows = working([line(f"r{i}", "payout", -1, None, ts=t.astimezone(UTC)) for i, t in enumerate(stamps)],
                   timezone)
    assert [r["day"] for r in rows] == [day_number(t.date()) for t in stamps]
    assert [r["timed"] for r in rows] == [True, True, True, False, True, False]


def test_a_record_without_a_time_has_no_day():
    rows = working([line("r1", "payout", -1, None, ts=None), line("r2", "payout", -1, 1)])
    assert (rows[0]["day"], rows[0]["timed"]) == (None, None)
    assert rows[1]["day"] is not None


def test_parts_of_one_row_share_a_key_and_whole_rows_have_none():
    rows = working([line("a", "payment", 1, 1, line=5), line("a/fee", "fee", -1, 1, line=5),
                    line("b", "payment", 1, 1, line=6), line("c", "payment", 1, 1, line=6, file="other.csv")])
    keys = [r["part_key"] for r in rows]
    assert keys[0] is not None
    assert keys[0] == keys[1]
    assert keys[2:] == [None, None]
