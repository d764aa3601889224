"""PySpark backend: the same statements, transpiled from DuckDB's dialect by SQLGlot.

Local mode (``local[*]``) by default; set ``HUIKUAN_SPARK_MASTER`` to run on a cluster.
Intermediate results are checkpointed locally so that each rule reads a materialised table,
as on DuckDB.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

import pyarrow as pa
import sqlglot

from huikuan.engine.backends.base import running


@cache
def spark_session() -> Any:
    """One Spark session per process (start-up costs seconds)."""
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master(os.environ.get("HUIKUAN_SPARK_MASTER", "local[2]"))
        .appName("huikuan")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", os.environ.get("HUIKUAN_SPARK_PARTITIONS", "4"))
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", os.environ.get("HUIKUAN_SPARK_DRIVER_MEMORY", "2g"))
        .config("spark.sql.ansi.enabled", "true")
    )
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def to_spark_sql(select: str) -> str:
    """A DuckDB-dialect statement in Spark SQL."""
    return str(sqlglot.transpile(select, read="duckdb", write="spark")[0])


class SparkBackend:
    name = "spark"

    def __init__(self) -> None:
        self.spark = spark_session()
        self._frames: dict[str, Any] = {}

    def load(self, name: str, table: pa.Table) -> None:
        plain = pa.schema([pa.field(f.name, f.type.value_type) if pa.types.is_dictionary(f.type) else f
                           for f in table.schema])
        frame = self.spark.createDataFrame(table.cast(plain))
        self._frames[name] = frame
        frame.createOrReplaceTempView(name)

    def materialise(self, name: str, select: str) -> int:
        statement = self._translated(select)
        with running(self.name, statement):
            frame = self.spark.sql(statement).localCheckpoint(eager=True)
            count = int(frame.count())
        self._frames[name] = frame
        frame.createOrReplaceTempView(name)
        return count

    def view(self, name: str, select: str) -> None:
        statement = self._translated(select)
        with running(self.name, statement):
            frame = self.spark.sql(statement)
        self._frames[name] = frame
        frame.createOrReplaceTempView(name)

    def fetch(self, select: str) -> pa.Table:
        statement = self._translated(select)
        with running(self.name, statement):
            result: pa.Table = self.spark.sql(statement).toArrow()
        return result

    def _translated(self, select: str) -> str:
        with running(self.name, select):  # a statement SQLGlot cannot translate fails here
            return to_spark_sql(select)

    def drop(self, name: str) -> None:
        self.spark.catalog.dropTempView(name)
        self._frames.pop(name, None)

    def close(self) -> None:
        for name in list(self._frames):
            self.drop(name)
