"""China Merchants Bank (招商银行) exports: the corporate 交易明细 and the personal debit CSV.

Corporate: GBK, preamble (``账号：``, ``账户名称：``, ``币种：``, ``起始日期：… 终止日期：…``),
≈32 columns (交易日 or 交易日期, 交易时间, 借方金额 = out, 贷方金额 = in, 摘要, 流水号,
收/付方名称, 冲帐标志 …) and a footer with 借方笔数/借方金额/贷方笔数/贷方金额, checked against
the rows. A platform payout arrives as a credit from 支付宝（中国）网络技术有限公司 or 财付通, sometimes
with the payout's serial in 摘要/业务摘要; a long digit run there becomes ``batch_ref``.

Personal: 记账日期, 货币, 交易金额 (signed), 联机余额, 交易摘要, 对手信息, 客户摘要.
"""

from __future__ import annotations

import re

from huikuan.domain.entry import Kind, Status, bank_kind
from huikuan.domain.roles import Role
from huikuan.importers.base import ReadContext, Row, TableImporter
from huikuan.importers.columns import Amount, Id, Text, When, fields
from huikuan.importers.reader import RawRow

_REFERENCE = re.compile(r"(?<![\dA-Za-z])([A-Za-z]?\d{16,32})(?![\dA-Za-z])")
_CURRENCIES = {"人民币": "CNY", "RMB": "CNY", "CNY": "CNY", "美元": "USD", "USD": "USD",
               "港币": "HKD", "港元": "HKD", "HKD": "HKD", "欧元": "EUR", "EUR": "EUR"}


def currency_code(text: str, default: str = "CNY") -> str:
    """``人民币`` → ``CNY``; an ISO code passes through."""
    text = text.strip()
    return _CURRENCIES.get(text, text.upper() if re.fullmatch(r"[A-Za-z]{3}", text) else default)


def reference_in(*texts: str) -> str | None:
    """The first long serial (16–32 digits) in bank memo fields: a payout's reference."""
    for text in texts:
        if text and (m := _REFERENCE.search(text)):
            return m.group(1)
    return None


def _bank_timestamp(date: str, time: str) -> str:
    date = date.strip()
    if re.fullmatch(r"\d{8}", date):
        date = f"{date[:4]}-{date[4:6]}-{date[6:]}"
    return f"{date} {time.strip()}" if time.strip() else date


class CmbCorporate(TableImporter):
    id = "cmb_corporate"
    title = "China Merchants Bank corporate statement (招商银行 交易明细)"
    role = Role.BANK
    columns = fields(
        date=When("交易日", "交易日期"),
        time=When("交易时间"),
        value_date=When("起息日"),
        type=Text("交易类型"),
        debit=Amount("借方金额"),
        credit=Amount("贷方金额"),
        balance=Amount("余额"),
        summary=Text("摘要"),
        serial=Id("流水号"),
        purpose=Text("用途"),
        biz_summary=Text("业务摘要"),
        other_summary=Text("其它摘要"),
        name=Text("收/付方名称", "收(付)方名称", "对方户名"),
        account=Text("收/付方帐号", "收/付方账号", "收(付)方帐号"),
        reversal=Text("冲帐标志", "冲账标志"),
        ext_summary=Text("扩展摘要"),
        biz_ref=Text("业务参考号"),
    )
    required = ("date", "debit", "credit", "summary", "serial")

    def is_footer(self, row: RawRow) -> bool:
        joined = "".join(row.cells)
        return "借方笔数" in joined or "贷方笔数" in joined or joined.startswith("#")

    def read_preamble(self, rows: list[RawRow], ctx: ReadContext) -> None:
        for row in rows:
            line = " ".join(c for c in row.cells if c)
            for cell in row.cells:
                for label, key in (("账号", "account"), ("账户名称", "account_name"), ("币种", "currency")):
                    m = re.match(rf"{label}[:：]\s*(\S+)", cell)
                    if m:
                        ctx.meta[key] = m.group(1)
            m = re.search(r"起始日期[:：]\s*(\S+).*?终止日期[:：]\s*(\S+)", line)
            if m:
                ctx.meta["period_start"], ctx.meta["period_end"] = m.group(1), m.group(2)

    def read_footer(self, rows: list[RawRow], ctx: ReadContext) -> None:
        cells = [c for row in rows for c in row.cells]
        joined = " ".join(cells)
        table = ctx.builder.table()
        kinds = table["kind"].to_pylist()
        amounts = table["amount_minor"].to_pylist()
        for label, kind in (("借方", Kind.BANK_DEBIT), ("贷方", Kind.BANK_CREDIT)):
            picked = [a for a, k in zip(amounts, kinds, strict=True) if k == kind]
            if m := re.search(rf"{label}笔数[:：]?\s*(\d+)", joined):
                ctx.check(f"{label}笔数", int(m.group(1)), len(picked), count=True)
            if m := re.search(rf"{label}金额[:：]?\s*([\d,.]+)", joined):
                ctx.check(f"{label}金额", self.money(m.group(1)), abs(sum(picked)))

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        amount = row.in_minus_out("credit", "debit")
        summary, purpose, biz = row["summary"], row["purpose"], row["biz_summary"]
        ctx.add(
            row,
            kind=Kind.BANK_CREDIT if amount > 0 else Kind.BANK_DEBIT,
            amount_minor=amount,
            currency=currency_code(ctx.meta.get("currency", "")),
            ts=self.when(_bank_timestamp(row["date"], row["time"])),
            record_id=row.id("serial"),
            counterparty=row["name"],
            batch_ref=reference_in(biz, summary, purpose, row["ext_summary"], row["other_summary"]),
            text=" ".join(t for t in (summary, purpose, biz) if t),
            status=Status.REVERSED if row["reversal"] in ("*", "X", "x", "冲") else None,
            category=row["type"],
        )


class CmbPersonal(TableImporter):
    id = "cmb_personal"
    title = "China Merchants Bank personal account CSV (招商银行 个人账户)"
    role = Role.BANK
    columns = fields(
        date=When("记账日期"),
        currency=Amount("货币"),
        amount=Amount("交易金额"),
        balance=Amount("联机余额"),
        summary=Text("交易摘要"),
        counterparty=Text("对手信息"),
        note=Text("客户摘要"),
    )
    required = ("date", "amount", "balance", "summary")

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        amount = self.money(row["amount"], currency_code(row["currency"]))
        ctx.add(
            row,
            kind=bank_kind(amount),
            amount_minor=amount,
            currency=currency_code(row["currency"]),
            ts=self.when(row["date"]),
            counterparty=row["counterparty"],
            batch_ref=reference_in(row["note"], row["summary"]),
            text=" ".join(t for t in (row["summary"], row["note"]) if t),
            category=row["summary"],
        )
