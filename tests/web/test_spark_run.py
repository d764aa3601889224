"""A web run on Spark (``HUIKUAN_SPARK_MASTER`` set) writes the same results as on DuckDB."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from huikuan.web.jobs import work_once
from huikuan.web.services import runs
from huikuan.web.storage import resolve
from tests.web.helpers import reconcile_month

pytestmark = [pytest.mark.web, pytest.mark.django_db, pytest.mark.spark]


def test_a_run_on_spark_gives_the_same_results(shop, month, monkeypatch) -> None:
    duck = reconcile_month(shop, month)
    assert duck.backend == "duckdb"
    # the engine's Spark backend reads the same variable for its master: local here
    monkeypatch.setenv("HUIKUAN_SPARK_MASTER", "local[2]")
    spark = runs.start_run(shop.company, shop.store, shop.bank, duck.period_start, duck.period_end,
                           user=shop.user)
    assert spark.backend == "spark"
    assert work_once()
    spark.refresh_from_db()
    assert spark.status == "done", spark.error
    for flow in duck.flows:
        a, b = (resolve(shop.company, r.result_path) / flow for r in (duck, spark))
        for name in ("matches.csv", "unmatched.csv", "differences.csv"):
            assert (a / name).read_bytes() == (b / name).read_bytes(), (flow, name)
        assert pq.read_table(a / "entries.parquet").equals(pq.read_table(b / "entries.parquet")), flow
