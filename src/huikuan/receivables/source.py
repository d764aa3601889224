"""Result folders opened for reading: one DuckDB connection with views over their files.

Reports and the 回款 services never load a run's entries into Python lists: they ask DuckDB,
which reads ``entries.parquet`` column by column, and get Arrow tables back. Several folders
(two months of one shop, or a shop's orders run beside its payout run) read as one table with a
``result`` column naming the folder each row came from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import duckdb
import pyarrow as pa

from huikuan.domain.errors import HuikuanError
from huikuan.results.folder import MARKER

ENTRIES = "entries.parquet"
DIFFERENCES = "differences.csv"
SUMMARY = "summary.json"


class NotAResultError(HuikuanError):
    """A folder given as a result is not one huikuan wrote (or holds no entries.parquet)."""


def _checked(folder: Path) -> Path:
    if not folder.is_dir():
        raise NotAResultError(f"{folder}: no such folder (give the --out folder of `huikuan match`)")
    if not (folder / ENTRIES).is_file():
        hint = "written by an older huikuan; run `huikuan match` again" if (folder / MARKER).exists() \
            or (folder / SUMMARY).exists() else "not a huikuan result"
        raise NotAResultError(f"{folder}: {hint} (entries.parquet is missing)")
    return folder


def _sql_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


class ResultSet:
    """The result folders of one question, as DuckDB views:

    - ``entries``: every row of each folder's entries.parquet plus ``result`` (the folder name);
    - ``differences``: each folder's differences.csv (match_id, reason, difference_minor, …)
      plus ``result``; empty when no folder has one.
    """

    def __init__(self, folders: Sequence[str | Path]) -> None:
        if not folders:
            raise NotAResultError("no result folder given (--result DIR)")
        self.folders = [_checked(Path(f)) for f in folders]
        names = [f.resolve().name for f in self.folders]
        # two folders of the same name (shop-a/2026-10, shop-b/2026-10) are told apart by path
        self.names = [str(f.resolve()) if names.count(n) > 1 else n for f, n in zip(self.folders, names,
                                                                                     strict=True)]
        self.con = duckdb.connect()
        self.con.execute("SET TimeZone = 'Asia/Shanghai'")
        parts = [f"SELECT *, {_sql_path(Path(n))} AS result FROM read_parquet({_sql_path(f / ENTRIES)})"
                 for f, n in zip(self.folders, self.names, strict=True)]
        self.con.execute("CREATE VIEW entries AS " + " UNION ALL BY NAME ".join(parts))
        self._differences_view()

    def _differences_view(self) -> None:
        parts = [
            f"SELECT CAST(match_id AS VARCHAR) AS match_id, CAST(reason AS VARCHAR) AS reason, "
            f"CAST(currency AS VARCHAR) AS currency, CAST(difference AS DECIMAL(38, 4)) AS difference, "
            f"{_sql_path(Path(n))} AS result "
            f"FROM read_csv({_sql_path(f / DIFFERENCES)}, header=true, all_varchar=true)"
            for f, n in zip(self.folders, self.names, strict=True) if (f / DIFFERENCES).is_file()]
        empty = ("SELECT NULL::VARCHAR AS match_id, NULL::VARCHAR AS reason, NULL::VARCHAR AS currency, "
                 "NULL::DECIMAL(38, 4) AS difference, NULL::VARCHAR AS result WHERE false")
        self.con.execute("CREATE VIEW differences AS " + " UNION ALL ".join([*parts, empty]))

    def query(self, sql: str, params: Sequence[object] | Mapping[str, object] = ()) -> pa.Table:
        """Run ``sql`` over the views and return its rows as an Arrow table (``$name`` parameters
        from a mapping, ``?`` from a sequence)."""
        bound = dict(params) if isinstance(params, Mapping) else list(params)
        return self.con.sql(sql, params=bound or None).to_arrow_table()

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> ResultSet:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
