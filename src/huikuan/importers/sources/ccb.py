"""China Construction Bank (建设银行): the personal 交易明细 download and the corporate 账户明细.

Personal (``ccb_debit``, public sample): a legacy .xls (the same table also read as CSV).
Preamble rows ``China Construction Bank``, ``开户机构：``, ``币　　种：`` and ``账　　号：`` (labels
padded with ideographic spaces U+3000, the value in the next cell), header cells right-padded with
spaces: 记账日, 交易日期 (YYYYMMDD), 交易时间, 支出, 收入 (numeric, 0.0 for the unused side),
账户余额, 币种, 摘要, 对方账号, 对方户名 (masked with ``*``), 交易地点. Footer
``以上数据仅供参考|具体内容请以柜台为准`` carries no totals; it is kept in ``meta["footer"]``.
No serial: entries are named ``file:line``.

Corporate (``ccb_corporate``, fixture): the 企业网银 账户明细 export. One row per booking with
the own 账号/账户名称 on every row, 交易时间 (``20240305 10:21:07``), 借方发生额（支取） = out,
贷方发生额（收入） = in (``0`` for the unused side), 余额, 币种 (``人民币元``), 对方户名, 对方账号,
对方开户机构, 记账日期, 摘要, 备注, 账户明细编号-交易流水号 (the bank's serial → ``record_id``),
企业流水号, 凭证种类, 凭证号. A payout's reference, when the platform sends one, is in 摘要/备注.
"""

from __future__ import annotations

from huikuan.domain.entry import bank_kind
from huikuan.domain.roles import Role
from huikuan.importers.base import ReadContext, Row, TableImporter
from huikuan.importers.cells import normalise_header
from huikuan.importers.columns import Amount, Id, Text, When, fields
from huikuan.importers.reader import RawRow, SourceFile
from huikuan.importers.sources._cn_bank import detect_with_title, filled, joined
from huikuan.importers.sources.cmb_bank import currency_code, reference_in

_PREAMBLE = {"开户机构": "branch", "币种": "currency", "账号": "account", "户名": "account_name"}


def _currency(text: str) -> str:
    """``人民币`` / ``人民币元`` / ``美元`` → ISO code (CCB corporate appends 元 to the name)."""
    return currency_code(text, "") or currency_code(text.removesuffix("元"), "") or "CNY"


def _timestamp(date: str, time: str) -> str:
    return f"{date.strip()} {time.strip()}".strip()


class CcbDebit(TableImporter):
    id = "ccb_debit"
    title = "China Construction Bank personal account statement (建设银行 交易明细)"
    role = Role.BANK
    columns = fields(
        book_date=When("记账日"),
        date=When("交易日期"),
        time=When("交易时间"),
        expense=Amount("支出"),
        income=Amount("收入"),
        balance=Amount("账户余额"),
        currency=Text("币种"),
        summary=Text("摘要"),
        counterparty_account=Text("对方账号"),
        counterparty=Text("对方户名"),
        place=Text("交易地点"),
    )
    required = ("book_date", "date", "expense", "income", "balance", "summary")

    def detect(self, source: SourceFile) -> float:
        return detect_with_title(self, source.head_rows(), ("China Construction Bank", "中国建设银行"))

    def is_footer(self, row: RawRow) -> bool:
        return bool(row.cells) and row.cells[0].startswith("以上数据")

    def read_preamble(self, rows: list[RawRow], ctx: ReadContext) -> None:
        for row in rows:
            cells = [c for c in row.cells if c]
            if not cells:
                continue
            label = normalise_header(cells[0]).rstrip(":：")
            key = _PREAMBLE.get(label)
            if key and len(cells) > 1:
                ctx.meta[key] = cells[1]
            elif len(cells) == 1 and ("银行" in cells[0] or "Bank" in cells[0]):
                ctx.meta["bank"] = cells[0]

    def read_footer(self, rows: list[RawRow], ctx: ReadContext) -> None:
        notes = [" ".join(c for c in row.cells if c) for row in rows if not row.is_blank()]
        if notes:
            ctx.meta["footer"] = " / ".join(notes)

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        currency = _currency(filled(row["currency"]) or ctx.meta.get("currency", ""))
        amount = row.in_minus_out("income", "expense", currency)
        ctx.add(
            row,
            kind=bank_kind(amount),
            amount_minor=amount,
            currency=currency,
            ts=self.when(_timestamp(row["date"] or row["book_date"], row["time"])),
            counterparty=filled(row["counterparty"]),
            batch_ref=reference_in(filled(row["summary"])),
            text=joined(row["summary"], row["place"]),
            category=filled(row["summary"]),
        )


class CcbCorporate(TableImporter):
    id = "ccb_corporate"
    title = "China Construction Bank corporate account details (建设银行 企业网银 账户明细)"
    role = Role.BANK
    columns = fields(
        account=Id("账号"),
        account_name=Text("账户名称"),
        time=When("交易时间"),
        debit=Amount("借方发生额（支取）", "借方发生额/元(支取)"),
        credit=Amount("贷方发生额（收入）", "贷方发生额/元(收入)"),
        balance=Amount("余额"),
        currency=Text("币种"),
        counterparty=Text("对方户名"),
        counterparty_account=Text("对方账号"),
        counterparty_bank=Text("对方开户机构"),
        book_date=When("记账日期"),
        summary=Text("摘要"),
        note=Text("备注"),
        serial=Id("账户明细编号-交易流水号"),
        company_serial=Text("企业流水号"),
        voucher_type=Text("凭证种类"),
        voucher_no=Text("凭证号"),
    )
    required = ("time", "debit", "credit", "serial", "summary")

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        currency = _currency(filled(row["currency"]))
        amount = row.in_minus_out("credit", "debit", currency)
        summary, note = filled(row["summary"]), filled(row["note"])
        ctx.add(
            row,
            kind=bank_kind(amount),
            amount_minor=amount,
            currency=currency,
            ts=self.when(row["time"] or row["book_date"]),
            record_id=row.id("serial"),
            counterparty=filled(row["counterparty"]),
            batch_ref=reference_in(note, summary),
            text=joined(summary, note),
            category=summary,
            account=row.id("account") or ctx.meta.get("account"),
        )
