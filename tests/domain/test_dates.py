"""The one date parser: every form exports use; a naive time is local to the export's zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huikuan.domain.dates import SHANGHAI, parse_timestamp
from huikuan.domain.errors import DateError

NOON = datetime(2023, 2, 12, 21, 32, 14, tzinfo=SHANGHAI)


@pytest.mark.parametrize("text", [
    "2023-02-12 21:32:14", "2023/2/12 21:32:14", "2023年02月12日 21:32:14", "20230212 213214",
    "20230212213214", "2023-02-12T21:32:14+08:00", "2023-02-12T13:32:14Z", "2023-02-12 13:32:14 UTC",
    " 2023-02-12 21:32:14\t",
])
def test_forms_of_one_moment(text):
    assert parse_timestamp(text) == NOON


@pytest.mark.parametrize(("text", "order", "expected"), [
    ("01/02/2023", "mdy", datetime(2023, 1, 2, tzinfo=SHANGHAI)),
    ("01/02/2023", "dmy", datetime(2023, 2, 1, tzinfo=SHANGHAI)),
    ("13/01/2023", "ymd", datetime(2023, 1, 13, tzinfo=SHANGHAI)),
    ("25.01.2023 03:02:06 UTC", "dmy", datetime(2023, 1, 25, 3, 2, 6, tzinfo=UTC)),
    ("Jan 25, 2023 3:02:06 PM PST", "ymd",
     datetime(2023, 1, 25, 15, 2, 6, tzinfo=timezone(timedelta(hours=-8)))),
    ("2023年2月1日", "ymd", datetime(2023, 2, 1, tzinfo=SHANGHAI)),
])
def test_day_month_order_and_zones(text, order, expected):
    assert parse_timestamp(text, order=order) == expected


def test_the_export_zone_applies_to_naive_times_only():
    assert parse_timestamp("2023-02-01 09:00", "America/New_York").utcoffset() == timedelta(hours=-5)
    assert parse_timestamp("2023-02-01 09:00+01:00", "America/New_York").utcoffset() == timedelta(hours=1)
    assert parse_timestamp("230105", two_digit_year=True) == datetime(2023, 1, 5, tzinfo=SHANGHAI)


@pytest.mark.parametrize("text", ["01/02/2023", "2023-13-01", "2023-02-30", "foo", "", "25:00 2023-01-01"])
def test_ambiguous_or_impossible_dates_are_refused(text):
    with pytest.raises(DateError):
        parse_timestamp(text)


@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)))
def test_printed_forms_read_back(moment):
    moment = moment.replace(microsecond=0)
    for text in (moment.strftime("%Y-%m-%d %H:%M:%S"), moment.strftime("%Y/%m/%d %H:%M:%S"),
                 moment.strftime("%Y年%m月%d日 %H:%M:%S"), moment.strftime("%Y%m%d%H%M%S")):
        assert parse_timestamp(text) == moment.replace(tzinfo=SHANGHAI), text
