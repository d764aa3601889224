"""The same key logic written by hand, for comparison: group the settlement lines by order number,
keep the orders whose paid amount equals the payments and whose refunds equal the refunds, and
return the member rows of those groups. Each takes the data in its library's own form."""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

LEFT_KINDS = ("order", "order_refund")
RIGHT_KINDS = ("payment", "settlement", "refund", "fee", "subsidy", "penalty", "other")
PAID = ("payment", "settlement")


def duckdb_sql(left: pa.Table, right: pa.Table) -> int:
    """A bare DuckDB SQL join; returns the number of member rows."""
    con = duckdb.connect()
    con.register("l_in", left)
    con.register("r_in", right)
    members = con.sql("""
        WITH l AS (SELECT row_number() OVER () AS id, order_ref, kind, amount_minor FROM l_in
                   WHERE kind IN ('order', 'order_refund') AND order_ref IS NOT NULL),
             r AS (SELECT row_number() OVER () AS id, order_ref, kind, amount_minor FROM r_in
                   WHERE kind IN ('payment','settlement','refund','fee','subsidy','penalty','other')
                     AND order_ref IS NOT NULL),
             lg AS (SELECT order_ref, count(*) FILTER (kind = 'order') AS n,
                           sum(amount_minor) FILTER (kind = 'order') AS paid,
                           coalesce(sum(amount_minor) FILTER (kind = 'order_refund'), 0) AS refunded
                    FROM l GROUP BY order_ref),
             rg AS (SELECT order_ref,
                           coalesce(sum(amount_minor) FILTER (kind IN ('payment','settlement')), 0) AS paid,
                           coalesce(sum(amount_minor) FILTER (kind = 'refund'), 0) AS refunded
                    FROM r GROUP BY order_ref),
             g AS (SELECT lg.order_ref FROM lg JOIN rg USING (order_ref)
                   WHERE lg.n = 1 AND lg.paid = rg.paid AND lg.refunded = rg.refunded)
        SELECT id, order_ref FROM l SEMI JOIN g USING (order_ref)
        UNION ALL SELECT id, order_ref FROM r SEMI JOIN g USING (order_ref)""").to_arrow_table()
    con.close()
    return members.num_rows


def pandas_frames(left: pa.Table, right: pa.Table) -> tuple[Any, Any]:
    cols = ["order_ref", "kind", "amount_minor"]
    return left.select(cols).to_pandas(), right.select(cols).to_pandas()


def pandas_logic(left: Any, right: Any) -> int:
    """The logic in pandas: filter, group, merge, semi-join back."""
    l = left[left["kind"].isin(LEFT_KINDS) & left["order_ref"].notna()]  # noqa: E741
    r = right[right["kind"].isin(RIGHT_KINDS) & right["order_ref"].notna()]
    l_order = l["kind"] == "order"
    lg = l.assign(n=l_order.astype("int64"),
                  paid=l["amount_minor"].where(l_order, 0),
                  refunded=l["amount_minor"].where(l["kind"] == "order_refund", 0)
                  ).groupby("order_ref")[["n", "paid", "refunded"]].sum()
    rg = r.assign(paid=r["amount_minor"].where(r["kind"].isin(PAID), 0),
                  refunded=r["amount_minor"].where(r["kind"] == "refund", 0)
                  ).groupby("order_ref")[["paid", "refunded"]].sum()
    g = lg.join(rg, how="inner", lsuffix="_l", rsuffix="_r")
    keys = g.index[(g["n"] == 1) & (g["paid_l"] == g["paid_r"]) & (g["refunded_l"] == g["refunded_r"])]
    return int(l["order_ref"].isin(keys).sum() + r["order_ref"].isin(keys).sum())


def polars_frames(left: pa.Table, right: pa.Table) -> tuple[Any, Any]:
    import polars as pl

    cols = ["order_ref", "kind", "amount_minor"]
    return pl.from_arrow(left.select(cols)), pl.from_arrow(right.select(cols))


def polars_logic(left: Any, right: Any) -> int:
    """The logic in polars (lazy, multi-threaded)."""
    import polars as pl

    l = left.lazy().filter(pl.col("kind").is_in(LEFT_KINDS) & pl.col("order_ref").is_not_null())  # noqa: E741
    r = right.lazy().filter(pl.col("kind").is_in(RIGHT_KINDS) & pl.col("order_ref").is_not_null())
    lg = l.group_by("order_ref").agg(
        (pl.col("kind") == "order").sum().alias("n"),
        pl.col("amount_minor").filter(pl.col("kind") == "order").sum().alias("paid"),
        pl.col("amount_minor").filter(pl.col("kind") == "order_refund").sum().alias("refunded"))
    rg = r.group_by("order_ref").agg(
        pl.col("amount_minor").filter(pl.col("kind").is_in(PAID)).sum().alias("paid_r"),
        pl.col("amount_minor").filter(pl.col("kind") == "refund").sum().alias("refunded_r"))
    keys = lg.join(rg, on="order_ref").filter(
        (pl.col("n") == 1) & (pl.col("paid") == pl.col("paid_r"))
        & (pl.col("refunded") == pl.col("refunded_r"))).select("order_ref")
    members = pl.concat([l.join(keys, on="order_ref", how="semi").select("order_ref"),
                         r.join(keys, on="order_ref", how="semi").select("order_ref")])
    return int(members.select(pl.len()).collect().item())
