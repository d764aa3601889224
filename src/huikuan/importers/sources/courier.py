"""Courier bills (快递对账单): what a courier charges the merchant per waybill, CSV or Excel.

There is no one layout: 中通, 圆通, 韵达, 顺丰 and the ERPs each write their own, but the same words
recur: 运单号, 寄件/发件/发货日期, 目的地 (or 目的省份 + 目的城市), 计费重量(kg) (or 结算重量 next to the
actual 重量), 运费(元), and optionally 首重/续重 fees, 其他费用, a total (总费用, 合计金额), 订单号,
快递公司 and 备注. Columns are found by those words. Many bills start with a title and customer lines
(``中通快递客户对账单``, ``客户编码：…``, ``账期：…``) and end with a 合计 row, checked against the rows.

Each waybill gives one ``shipment`` entry: the total (or 运费 when there is no total) as a cost,
negative; a negative figure on the bill (a claim paid back) becomes positive. Pitfalls: a waybill
billed twice is kept and reported (its second line is named ``<运单号>/2``); rows whose parts do not
add up (首重 + 续重 ≠ 运费, 运费 + 其他费用 ≠ total) are read as billed and listed in a warning.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import pyarrow as pa

from huikuan.domain.entry import Kind
from huikuan.domain.money import format_minor
from huikuan.domain.roles import Role
from huikuan.importers.base import Header, ReadContext, Row, TableImporter
from huikuan.importers.columns import Amount, Id, Text, When, fields
from huikuan.importers.reader import RawRow

_BRANDS = ("顺丰", "中通", "圆通", "韵达", "申通", "极兔", "邮政", "EMS", "京东", "德邦", "百世", "天天",
           "优速", "丰网", "跨越", "宅急送")
_WEIGHT = re.compile(r"\d+(?:\.\d+)?\s*(?:kg|KG|公斤)?")
_COUNT = re.compile(r"(\d+)\s*(?:票|单|件|笔|条)")
_LABELS = (("客户编码", "account"), ("客户编号", "account"), ("月结账号", "account"), ("月结卡号", "account"),
           ("客户名称", "customer"), ("账期", "period"), ("对账期间", "period"), ("结算周期", "period"))
_MAX_NOTES = 20


def courier_name(text: str) -> str:
    """The courier's short name found in ``text`` (``中通快递客户对账单`` → ``中通``), else ``text``."""
    return next((b for b in _BRANDS if b in text), text)


@dataclass
class _Bill:
    """What to tell the clerk at the end: waybills seen (and how often), rows that do not add up."""

    waybills: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


class CourierBill(TableImporter):
    id = "courier_bill"
    title = "Courier bill (快递对账单: 运单号, 计费重量, 运费)"
    role = Role.COURIER
    columns = fields(
        waybill=Id("运单号", "运单编号", "运单号码", "快递单号", "面单号"),
        date=When("寄件日期", "发件日期", "发货日期", "揽收日期", "揽件日期", "收寄日期", "寄件时间",
                 "发件时间", "发货时间", "揽收时间", "业务日期"),
        province=Text("目的省份", "目的省", "收件省份", "到达省份", "省份"),
        city=Text("目的城市", "目的市", "收件城市", "到达城市", "城市"),
        destination=Text("目的地", "目的地区", "寄达地"),
        billed_weight=Text("计费重量(kg)", "计费重量", "结算重量(kg)", "结算重量", "计费重量(公斤)"),
        weight=Text("重量(kg)", "重量", "实际重量(kg)", "实际重量", "实重(kg)"),
        first=Amount("首重", "首重费用", "首重(元)", "首重费用(元)"),
        extra=Amount("续重", "续重费用", "续重(元)", "续重费用(元)"),
        other=Amount("其他费用", "其他费用(元)", "附加费", "附加费(元)", "增值服务费"),
        freight=Amount("运费(元)", "运费", "快递费", "快递费(元)", "运费金额"),
        total=Amount("总费用", "总费用(元)", "合计金额", "合计金额(元)", "应付金额", "应付金额(元)",
                     "费用合计", "结算金额", "结算金额(元)"),
        order=Id("订单号", "订单编号", "客户订单号"),
        courier=Text("快递公司", "物流公司", "承运商"),
        remark=Text("备注"),
    )
    required = ("waybill",)

    def find_header(self, rows: Sequence[RawRow]) -> Header | None:
        """The first row with a waybill, a weight and a money column (运单号 + 重量 + 运费)."""
        for position, row in enumerate(rows):
            found = super().find_header([row])
            if found is None:
                continue
            names = found.index
            if ({"billed_weight", "weight"} & names.keys()) and ({"freight", "total"} & names.keys()):
                return Header(position, names, found.width)
        return None

    def is_footer(self, row: RawRow) -> bool:
        head = "".join(row.cells[:3])
        return head.startswith("#") or "合计" in head or "总计" in head

    def finish(self, ctx: ReadContext, entries: pa.Table) -> pa.Table:
        bill = ctx.state(_Bill)
        twice = {w: n for w, n in bill.waybills.items() if n > 1}
        if twice:
            listed = ", ".join(f"{w} ({n}×)" for w, n in sorted(twice.items()))
            ctx.warnings.append(f"{ctx.file}: waybill billed more than once: {listed}")
        for note in bill.notes[:_MAX_NOTES]:
            ctx.warnings.append(f"{ctx.file}: {note}")
        if len(bill.notes) > _MAX_NOTES:
            more = len(bill.notes) - _MAX_NOTES
            ctx.warnings.append(f"{ctx.file}: … and {more} more rows that do not add up")
        return entries

    def read_preamble(self, rows: list[RawRow], ctx: ReadContext) -> None:
        for row in rows:
            line = " ".join(c for c in row.cells if c)
            if not line:
                continue
            for label, key in _LABELS:
                m = re.search(rf"{label}[:：]\s*(.+?)(?:\s{{2,}}|$)", line)
                if m and key not in ctx.meta:
                    ctx.meta[key] = m.group(1).strip()
            brand = courier_name(line)
            if brand != line and "courier" not in ctx.meta:
                ctx.meta["courier"] = brand

    def read_footer(self, rows: list[RawRow], ctx: ReadContext) -> None:
        if ctx.header is None or not ctx.state(_Bill).waybills:  # no row was read
            return
        index = ctx.header.index
        column = index.get("total", index.get("freight"))
        amounts = ctx.builder.table()["amount_minor"].to_pylist()
        for row in rows:
            head = "".join(row.cells[:3])
            if "合计" not in head and "总计" not in head:
                continue
            if column is not None and column < len(row.cells) and row.cells[column]:
                ctx.check("费用合计", self.money(row.cells[column]), -sum(amounts))
            if m := _COUNT.search(" ".join(row.cells)):
                ctx.check("运单数", int(m.group(1)), len(amounts), count=True)

    def _fee(self, row: Row, name: str) -> int | None:
        return self.money(row[name]) if row[name] else None

    def _parts_disagree(self, row: Row) -> str | None:
        first, extra, freight = self._fee(row, "first"), self._fee(row, "extra"), self._fee(row, "freight")
        other, total = self._fee(row, "other") or 0, self._fee(row, "total")
        if first is not None and extra is not None and freight is not None and first + extra != freight:
            return f"首重 + 续重 = {format_minor(first + extra)} but 运费 = {format_minor(freight)}"
        if freight is not None and total is not None and freight + other != total:
            return f"运费 + 其他费用 = {format_minor(freight + other)} but the total is {format_minor(total)}"
        return None

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        waybill = row.id("waybill")
        if not re.fullmatch(r"[0-9A-Za-z-]{6,}", waybill):
            raise ValueError(f"运单号 {row['waybill']!r} is not a waybill number")
        billed = self._fee(row, "total")
        if billed is None:
            billed = self._fee(row, "freight")
        if billed is None:
            raise ValueError("neither 运费 nor a total is filled")
        weight = row["billed_weight"] or row["weight"]
        if weight and not _WEIGHT.fullmatch(weight):
            raise ValueError(f"计费重量 {weight!r} is not a weight")
        bill = ctx.state(_Bill)
        seen = bill.waybills.get(waybill, 0) + 1
        bill.waybills[waybill] = seen
        record_id = waybill if seen == 1 else f"{waybill}/{seen}"
        if problem := self._parts_disagree(row):
            bill.notes.append(f"line {row.line} (运单号 {waybill}): {problem}")
        place = row["destination"] or " ".join(p for p in (row["province"], row["city"]) if p)
        courier = courier_name(row["courier"]) if row["courier"] else ctx.meta.get("courier")
        details = [place, f"{weight.removesuffix('kg').strip()}kg" if weight else "", row["remark"]]
        ctx.add(
            row,
            kind=Kind.SHIPMENT,
            amount_minor=-billed,
            ts=self.when(row["date"]) if row["date"] else None,
            record_id=record_id,
            order_ref=row.id("order") if row["order"] else None,
            text=" ".join(d for d in details if d),
            category=courier,
        )
