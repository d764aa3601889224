"""Every engine test runs on each backend: DuckDB always, Spark under the ``spark`` marker."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)
