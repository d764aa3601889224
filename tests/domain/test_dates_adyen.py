"""Time-zone abbreviations written by Adyen settlement reports (TimeZone column)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from huikuan.domain.dates import parse_timestamp
from huikuan.domain.errors import DateError


def test_us_central_daylight_time_is_five_hours_behind_utc():
    value = parse_timestamp("2016-10-20 14:58:48 CDT", "UTC")
    assert value.astimezone(UTC) == datetime(2016, 10, 20, 19, 58, 48, tzinfo=UTC)


def test_cst_stays_refused_because_it_also_means_china_standard_time():
    with pytest.raises(DateError, match="CST"):
        parse_timestamp("2016-12-20 14:58:48 CST", "UTC")
