"""The generic reader: any bank, card or wallet statement that no module claims is still read.

The registry falls back to it only when no module (and no saved profile) reaches the detection
threshold, so every known format keeps its own module. Its plan for a file (:mod:`generic_plan`)
names the columns, the sign convention and the currency; this module reads every row with it
into canonical entries like any importer: row errors for rows it cannot parse, a footer set
aside and shown, the running balance checked on every pair of rows as a file check.

Because it guesses, it says so: every result carries a warning naming the columns it chose and
how sure it is, and ``huikuan profile create --from FILE`` turns the guess into a profile.
"""

from __future__ import annotations

from huikuan.domain.entry import Kind, bank_kind
from huikuan.domain.errors import InputError
from huikuan.domain.money import parse_amount
from huikuan.domain.roles import Role
from huikuan.importers.base import ROW_PROBLEMS, Importer, ImportResult, ReadContext
from huikuan.importers.cells import clean_id
from huikuan.importers.generic_balance import fit
from huikuan.importers.generic_layout import is_footer
from huikuan.importers.generic_plan import (
    STATUSES,
    Layout,
    cell,
    fee_of,
    neutral_kind_of,
    plan,
    row_currency,
    row_date,
    written_amount,
)
from huikuan.importers.reader import RawRow, SourceFile

FORMAT_ID = "generic"
#: the first disagreeing balances named in warnings (the check itself counts them all)
_SHOWN_DISAGREEMENTS = 5


class GenericReader(Importer):
    """Fallback for statements no module knows; a new instance per file (it keeps its plan)."""

    id = FORMAT_ID
    title = "Generic statement reader (columns guessed from headers and content)"
    role = Role.BANK

    def __init__(self) -> None:
        self.layout: Layout | None = None
        self._planned_for: SourceFile | None = None

    def plan(self, source: SourceFile) -> Layout | None:
        """The plan for ``source``, made once from its first rows."""
        if self._planned_for is not source:
            self.layout, self._planned_for = plan(source.head_rows(200)), source
        return self.layout

    def detect(self, source: SourceFile) -> float:
        layout = self.plan(source)
        return layout.confidence if layout is not None else 0.0

    def read(self, source: SourceFile) -> ImportResult:
        layout = self.plan(source)
        if layout is None:
            raise InputError(source.name, "no date and amount columns found (generic reader)")
        ctx = ReadContext(self, source)
        describe(layout, ctx)
        self._read_rows(source, layout, ctx)
        result = ctx.result()
        result.role = layout.role
        return result

    def _read_rows(self, source: SourceFile, layout: Layout, ctx: ReadContext) -> None:
        cols = layout.cols
        skip = cols.skip
        money = [cols.index[f] for f in ("date", "debit", "credit") if f in cols.index]
        needed = max([*money, layout.amount if layout.amount is not None else 0]) + 1
        lines: list[int] = []
        moved: list[int | None] = []
        balances: list[int | None] = []
        footer: list[RawRow] = []
        last_currency: str | None = None
        for position, row in enumerate(source.rows()):
            if position < skip or row.is_blank():
                continue
            if is_footer(row):
                footer.append(row)
                continue
            ctx.rows_read += 1
            lines.append(row.line)
            if row.cells and row.cells[0].startswith("\ufffd"):
                ctx.error(row, "line cannot be parsed as CSV")
            elif len(row.cells) < needed:
                ctx.error(row, f"row is cut short: {len(row.cells)} of {cols.width} columns")
            else:
                change, balance = self._read_row(row, layout, ctx)
                currency = row_currency(row, cols, layout.currency)
                if last_currency not in (None, currency):  # each currency has its own balance
                    balance = None
                last_currency = currency
                moved.append(change)
                balances.append(balance)
                continue
            moved.append(None)
            balances.append(None)
        if footer:
            first = " ".join(c for c in footer[0].cells if c)[:60]
            ctx.warnings.append(f"{ctx.file}: {len(footer)} line(s) from line {footer[0].line} were taken "
                                f"for totals or notes, not data ({first!r})")
        if "balance" in cols.index:
            _check_balances(ctx, lines, moved, balances, layout.currency)

    def _read_row(self, row: RawRow, layout: Layout, ctx: ReadContext) -> tuple[int | None, int | None]:
        """Add the row's entries; (what it moved, its balance), or (None, None) for a bad row."""
        cols = layout.cols
        currency = row_currency(row, cols, layout.currency)
        try:
            ts = row_date(row, cols, layout.tz)
            amount = written_amount(row, cols, layout.amount, currency) * layout.sign
            fee = fee_of(row, cols, currency) if layout.fee_booked else 0
            text = cell(row, cols.index.get("balance"))
            balance = parse_amount(text, currency, decimal_comma=cols.decimal_comma) if text else None
            record = clean_id(cell(row, cols.index["id"])) if "id" in cols.index else ""
            common = {
                "currency": currency, "ts": ts, "balance_minor": balance,
                "counterparty": next((t for t in (cell(row, c) for c in cols.counterparties) if t), ""),
                "text": " ".join(t for t in (cell(row, c) for c in cols.descriptions) if t),
                "status": STATUSES.get(cell(row, cols.index.get("status")).strip().lower()),
                "category": cell(row, cols.index.get("type")) or None,
                "account": cell(row, cols.index.get("card")) or None,
            }
            neutral = neutral_kind_of(row, cols)
            kind = neutral[0] if neutral is not None else bank_kind(amount)
            ctx.add(row, kind=kind, amount_minor=amount, record_id=record or None, **common)
            if fee:
                ctx.add(row, kind=Kind.FEE, amount_minor=-fee, record_id=f"{record}/fee" if record else None,
                        id_suffix="/fee", **common)
        except ROW_PROBLEMS as exc:
            ctx.error(row, str(exc) if not isinstance(exc, KeyError) else f"missing value {exc}")
            return None, None
        return amount - fee, balance


def describe(layout: Layout, ctx: ReadContext) -> None:
    """What the reader guessed, in ``meta`` and in a warning the user sees on every run."""
    cols = layout.cols
    ctx.meta["columns"] = layout.summary()
    ctx.meta["confidence"] = f"{layout.confidence:.2f}"
    ctx.meta["sign"] = layout.sign_note
    ctx.meta["currency"] = f"{layout.currency} ({layout.currency_note})"
    ctx.meta["date_order"] = cols.date_order + ("" if cols.date_order_decided else " (guessed)")
    ctx.meta["time_zone"] = f"{layout.tz} (times without a zone are taken as local time of the currency)"
    ctx.meta["header"] = (f"row {cols.header + 1}" if cols.header is not None else "none") + (
        "" if cols.from_header else " (columns typed by content)")
    if "fee" in cols.index:
        ctx.meta["fee"] = ("booked as a fee entry (the balance moves by amount − fee)" if layout.fee_booked
                           else "not booked separately (included in the amount, or not confirmed)")
    ctx.warnings.append(
        f"{ctx.file}: generic reader: {layout.summary()}; confidence {layout.confidence:.2f} — no module "
        f"knows this layout; check the columns, or save them: huikuan profile create --from {ctx.file} "
        "--name NAME")


def _check_balances(ctx: ReadContext, lines: list[int], moved: list[int | None],
                    balances: list[int | None], currency: str) -> None:
    result = fit(moved, balances)
    if not result.pairs:
        return
    ctx.check("running balance (previous balance + amount = balance), pairs of rows", result.pairs,
              result.agreeing, currency, count=True)
    for i in result.disagreeing[:_SHOWN_DISAGREEMENTS]:
        ctx.warnings.append(f"{ctx.file}: line {lines[i]}: the balance does not follow from the neighbouring "
                            "row's balance and this amount (a row missing, or a sign the wrong way)")


def profile_columns(layout: Layout) -> dict[str, str]:
    """The plan as a saved profile's columns (``huikuan profile create --from FILE``)."""
    cols = layout.cols
    names = {f: cols.name(c) for f, c in cols.index.items()}
    columns = {"date": names["date"]}
    if layout.amount is not None:
        columns["amount"] = cols.name(layout.amount)
    else:
        columns.update({f: names[f] for f in ("debit", "credit") if f in names})
    if cols.counterparties:
        columns["counterparty"] = cols.name(cols.counterparties[0])
    for field, target in (("id", "id"), ("currency", "currency"),
                          ("status", "status"), ("direction", "direction")):
        if field in names:
            columns[target] = names[field]
    if cols.descriptions:
        columns["memo"] = cols.name(cols.descriptions[0])
    return columns
