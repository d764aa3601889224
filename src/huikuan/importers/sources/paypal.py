"""PayPal exports: the account "Activity download" CSV and the monthly balance statement CSV.

Activity: ``Date, Time, TimeZone, Name, Type, Status, Currency, Gross, Fee, Net, From Email Address,
To Email Address, Transaction ID, …, Reference Txn ID, Invoice Number, …, Balance, …, Subject, Note``
(newer downloads add ``Balance Impact``). Statement: ``Date, Time, Time Zone, Description, Currency,
Gross, Fee, Net, Balance, Transaction ID, From Email Address, Name, Bank Name, Bank Account, …,
Invoice ID, Reference Txn ID``.

One row gives a gross entry (payment received → payment, refund/reversal → refund, withdrawal →
payout, currency conversion → transfer, hold/release → deposit) named by its Transaction ID and,
when the fee is not zero, a ``fee`` entry ``<id>/fee`` (PayPal writes fees negative; net = gross +
fee is checked). A currency conversion is two rows, one per currency, tied by ``Reference Txn ID``
(→ ``batch_ref``) to the withdrawal or payment they funded: both are kept. ``Invoice Number`` /
``Invoice ID`` is the order. Pending rows get status ``pending``.

Languages: PayPal writes the activity download in the account's language. The German, French,
Spanish and Chinese column names are accepted (``Datum, Uhrzeit, Zeitzone, Typ, Währung, Brutto,
Gebühr, Netto, Transaktionscode …``; ``Date, Heure, Fuseau horaire, État, Devise, Avant commission,
Commission …``; ``Fecha, Hora, Zona horaria, Divisa, Bruto, Tarifa, Neto …``; ``日期, 时间, 时区,
类型, 状态, 币种, 总额, 费用, 净额, 交易号 …``), with their transaction types and statuses
(``Rückzahlung`` is a refund, ``Allgemeine Abbuchung`` a payout, ``Abgeschlossen`` completed) and
their number format: ``1.234,56`` or ``1 234,56`` where the amounts are written with a decimal
comma (decided per file), ``MEZ``/``MESZ`` for the zone.

Pitfalls: the date order follows the account's locale (``29/12/2015`` in one file, ``9/4/2018`` in
another): it is decided per file from dates whose day is above 12; PayPal writes the zone beside
the time, as an abbreviation (``PST``/``PDT``) or an IANA name (``America/Los_Angeles``).
"""

from __future__ import annotations

import re
from datetime import datetime

from huikuan.domain.dates import DateOrder, parse_timestamp, zone
from huikuan.domain.entry import Kind, Status
from huikuan.domain.money import parse_amount
from huikuan.domain.roles import Role
from huikuan.importers.base import ReadContext, Row, TableImporter
from huikuan.importers.columns import Amount, Id, Text, When, fields
from huikuan.importers.reader import RawRow, SourceFile
from huikuan.importers.sources._gross_fee import add_gross_and_fee, check_net, currency_code, tally_net

_DATE = re.compile(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}")
_COMMA_AMOUNT = re.compile(r"\s*-?\s*\d{1,3}(?:[.\s\u00a0\u202f]\d{3})*,\d{2}\s*")
_ZONES = {"MEZ": "CET", "MESZ": "CEST"}
#: localised transaction types, lower case -> the English words paypal_kind looks for
_TYPE_WORDS = (
    (("abbuchung", "retrait", "提现", "retiro"), "withdrawal"),
    (("währungsumrechnung", "conversion de devise", "货币兑换", "conversión de divisa"),
     "currency conversion"),
    (("einbehaltung", "freigabe", "暂扣", "retención", "mise en réserve"), "hold"),
    (("gebühr", "frais", "手续费", "comisión"), "fee"),
    (("rückzahlung", "erstattung", "remboursement", "退款", "reembolso"), "refund"),
    (("bankgutschrift", "virement", "转账", "transferencia", "aufladung"), "transfer"),
    (("zahlung", "paiement", "付款", "pago"), "payment"),
)
_STATUS = {
    "abgeschlossen": Status.COMPLETED, "ausstehend": Status.PENDING, "storniert": Status.CLOSED,
    "terminé": Status.COMPLETED, "en attente": Status.PENDING, "annulé": Status.CLOSED,
    "completado": Status.COMPLETED, "pendiente": Status.PENDING, "cancelado": Status.CLOSED,
    "已完成": Status.COMPLETED, "待处理": Status.PENDING, "已取消": Status.CLOSED,
    "completed": Status.COMPLETED, "cleared": Status.COMPLETED, "pending": Status.PENDING,
    "held": Status.PENDING, "unclaimed": Status.PENDING, "refunded": Status.REFUNDED,
    "partially refunded": Status.REFUNDED, "reversed": Status.REVERSED, "denied": Status.CLOSED,
    "canceled": Status.CLOSED, "cancelled": Status.CLOSED, "failed": Status.CLOSED,
}


def paypal_kind(transaction_type: str, gross: int) -> Kind:
    """Kind of a PayPal row from its Type (or statement Description) and the sign of Gross."""
    t = transaction_type.lower()
    if not t.isascii() or not any(w in t for w in ("payment", "withdrawal", "refund", "fee")):
        t = next((english for words, english in _TYPE_WORDS if any(w in t for w in words)), t)
    if "withdrawal" in t:
        return Kind.PAYOUT
    if "currency conversion" in t:
        return Kind.TRANSFER
    if "hold" in t or "release" in t or "reserve" in t:
        return Kind.DEPOSIT
    if "fee" in t:  # before refunds: "Chargeback Fee" is a fee
        return Kind.FEE
    if "refund" in t or "reversal" in t or "chargeback" in t:
        return Kind.REFUND
    if "deposit" in t or "transfer" in t or "top up" in t:
        return Kind.TRANSFER
    if "payment" in t and gross > 0:
        return Kind.PAYMENT
    return Kind.OTHER  # e.g. a payment the merchant sent: money out, not a sale


class _PayPal(TableImporter):
    role = Role.PLATFORM
    currency = "USD"
    tz = "America/Los_Angeles"
    #: True where the zone column holds IANA names (statement), False for abbreviations (activity)
    iana_zones = False

    def read_into(self, source: SourceFile, ctx: ReadContext) -> None:
        ctx.meta["date_order"], comma = self._locale(source)
        if comma:
            ctx.meta["decimal"] = "comma"
        super().read_into(source, ctx)

    def amount(self, text: str, currency: str, ctx: ReadContext) -> int:
        """An amount in this file's number format (``1,234.56`` or ``1.234,56``)."""
        if ctx.meta.get("decimal") == "comma":
            text = re.sub(r"[\s\u00a0\u202f]", "", text)
        return parse_amount(text, currency, decimal_comma=ctx.meta.get("decimal") == "comma")

    def _locale(self, source: SourceFile) -> tuple[DateOrder, bool]:
        """Date order, and whether amounts are written with a decimal comma (German, French,
        Spanish downloads), from the data rows; a non-English header defaults to ``dmy``."""
        header = None
        order: DateOrder | None = None
        comma = False
        english = True
        for count, row in enumerate(source.rows(self.delimiter)):
            if header is None:
                header = self.find_header([row])
                english = header is None or all(c.isascii() for c in row.cells[:10])
                continue
            if count > 2000:
                break
            gross = row.cells[header.index["gross"]] if header.index["gross"] < len(row.cells) else ""
            comma = comma or bool(_COMMA_AMOUNT.fullmatch(gross))
            if order is None:
                order = self._row_order(row, header.index["date"])
            if order is not None and comma:
                break
        return order or ("mdy" if english else "dmy"), comma

    @staticmethod
    def _row_order(row: RawRow, i: int) -> DateOrder | None:
        m = _DATE.match(row.cells[i]) if i < len(row.cells) else None
        if m and int(m.group(1)) > 12:
            return "dmy"
        if m and int(m.group(2)) > 12:
            return "mdy"
        return None

    def _when(self, row: Row, ctx: ReadContext) -> datetime:
        order: DateOrder = "dmy" if ctx.meta.get("date_order") == "dmy" else "mdy"
        text = f"{row['date']} {row['time']}".strip()
        name = row["zone"].strip()
        name = _ZONES.get(name.upper(), name)
        if not name:
            return parse_timestamp(text, self.tz, order=order)
        if "/" in name or self.iana_zones:
            try:
                return parse_timestamp(text, zone(name), order=order)
            except (KeyError, ValueError):
                if "/" in name:
                    raise ValueError(f"unknown time zone {name!r}") from None
        return parse_timestamp(f"{text} {name}", self.tz, order=order)

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        txn = row.id("txn")
        if not txn:
            raise ValueError("the Transaction ID is empty")
        currency = currency_code(row["currency"], self.currency)
        gross = self.amount(row["gross"], currency, ctx)
        fee = self.amount(row["fee"], currency, ctx) if row["fee"] else 0
        net = self.amount(row["net"], currency, ctx) if row["net"] else None
        if fee and net is not None and gross - fee == net != gross + fee:
            fee = -fee  # an export that writes the fee unsigned
        category = row["type"]
        kind = paypal_kind(category, gross)
        if row["impact"].lower() in ("memo", "mémo", "备忘"):
            kind, category = Kind.OTHER, f"{category} (memo: no balance change)"
        email = row["from_email"] if gross > 0 else row["to_email"]
        bank = " ".join(p for p in (row["bank"], row["bank_account"]) if p)
        common = {
            "currency": currency,
            "ts": self._when(row, ctx),
            "order_ref": row.id("invoice") if kind in (Kind.PAYMENT, Kind.REFUND, Kind.OTHER) else None,
            "counterparty": row["name"] or bank or email,
            "batch_ref": row.id("reference"),
            "status": _STATUS.get(row["status"].strip().lower()),
            "text": " ".join(p for p in (row["subject"], row["note"]) if p),
        }
        tally_net(ctx, row, currency, gross=gross, fee=fee, net=net)
        add_gross_and_fee(ctx, row, kind=kind, gross=gross, fee=fee, record_id=txn, category=category,
                          **common)

    def read_footer(self, rows: list[RawRow], ctx: ReadContext) -> None:
        check_net(ctx)


class PayPalActivity(_PayPal):
    id = "paypal_activity"
    title = "PayPal activity download (CSV)"
    columns = fields(
        # English, German, French, Spanish, Chinese (the account's language)
        date=When("Date", "Datum", "Fecha", "日期"),
        time=Text("Time", "Uhrzeit", "Heure", "Hora", "时间"),
        zone=Text("TimeZone", "Time Zone", "Zeitzone", "Fuseau horaire", "Zona horaria", "时区"),
        name=Text("Name", "Nom", "Nombre", "名称"),
        type=Text("Type", "Typ", "Tipo", "类型"),
        status=Text("Status", "État", "Estado", "状态"),
        currency=Text("Currency", "Währung", "Devise", "Divisa", "币种"),
        gross=Amount("Gross", "Brutto", "Avant commission", "Bruto", "总额"),
        fee=Amount("Fee", "Gebühr", "Commission", "Tarifa", "费用"),
        net=Amount("Net", "Netto", "Neto", "净额"),
        from_email=Text("From Email Address", "Absender E-Mail-Adresse", "De l'adresse email",
                       "De la dirección de correo electrónico", "发件人邮箱地址"),
        to_email=Text("To Email Address", "Empfänger E-Mail-Adresse", "À l'adresse email",
                     "A la dirección de correo electrónico", "收件人邮箱地址"),
        txn=Id("Transaction ID", "Transaktionscode", "Numéro de transaction", "Id. de transacción",
                "交易号"),
        reference=Id("Reference Txn ID", "Zugehöriger Transaktionscode",
                      "Numéro de la transaction de référence", "Id. de transacción de referencia",
                      "参考交易号"),
        invoice=Id("Invoice Number", "Rechnungsnummer", "Numéro de facture", "Número de factura",
                    "账单号"),
        subject=Text("Subject", "Item Title", "Betreff", "Objet", "Asunto", "主题"),
        note=Text("Note", "Hinweis", "Remarque", "Nota", "备注"),
        impact=Text("Balance Impact", "Auswirkung auf Guthaben", "Impact sur le solde",
                   "Impacto en el saldo", "对余额的影响"),
    )
    required = ("date", "time", "type", "status", "currency", "gross", "fee", "net", "txn")


class PayPalStatement(_PayPal):
    id = "paypal_statement"
    title = "PayPal monthly balance statement (CSV)"
    iana_zones = True
    columns = fields(
        date=When("Date"),
        time=Text("Time"),
        zone=Text("Time Zone", "TimeZone"),
        type=Text("Description"),
        currency=Text("Currency"),
        gross=Amount("Gross"),
        fee=Amount("Fee"),
        net=Amount("Net"),
        balance=Amount("Balance"),
        txn=Id("Transaction ID"),
        from_email=Text("From Email Address"),
        name=Text("Name"),
        bank=Text("Bank Name"),
        bank_account=Text("Bank Account"),
        invoice=Id("Invoice ID", "Invoice Number"),
        reference=Id("Reference Txn ID"),
    )
    required = ("date", "time", "type", "currency", "gross", "fee", "net", "balance", "txn")
    excluded = ("Type", "Status")
