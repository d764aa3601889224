"""The header vocabulary of the generic reader: which words name which field, in nine languages.

Statements no module knows still name their columns with a small set of words (交易日期, Booking
Date, Buchungstag, Fecha, Date de l'opération, Data operazione, Data movimento, Boekdatum, 日付…).
Each field lists its words per language, strongest first: when a file has two columns for one
field (交易日 and 记账日, 交易金额 and 入账金额) the earlier word is preferred, and the content
check in :mod:`huikuan.importers.generic` may still overrule it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from huikuan.importers.cells import normalise_header

#: field -> language -> header words, strongest first. Written as a clerk reads them; they are
#: compared after :func:`header_key` (spaces removed, lower case, a unit in brackets dropped).
VOCABULARY: dict[str, dict[str, tuple[str, ...]]] = {
    "date": {
        "zh": ("交易日", "交易日期", "交易时间", "交易创建时间", "创建时间", "发生时间", "发生日期", "日期",
               "时间", "记账日", "记账日期", "记账时间", "入账日期", "入账时间"),
        "en": ("Transaction Date", "Trans. Date", "Trans Date", "Date", "Started Date", "Booking Date",
               "Posting Date", "Posted Date", "Completed Date", "Value Date", "Date Posted"),
        "es": ("Fecha", "Fecha operación", "Fecha de operación", "Fecha Operacion", "Fecha valor"),
        "de": ("Buchungstag", "Buchungsdatum", "Datum", "Valutadatum", "Wertstellung"),
        "fr": ("Date de l'opération", "Date opération", "Date d'opération", "Date operation",
               "Date valeur"),
        "it": ("Data operazione", "Data", "Data contabile", "Data movimento", "Data valuta"),
        "pt": ("Data do movimento", "Data movimento", "Data lançamento", "Data de lançamento",
               "Data mov.", "Data valor"),
        "nl": ("Transactiedatum", "Boekdatum", "Boekingsdatum", "Datum", "Rentedatum"),
        "ja": ("日付", "取引日", "お取引日", "年月日", "取扱日", "ご利用日", "利用日"),
    },
    "amount": {
        "zh": ("入账金额", "记账金额", "人民币金额", "交易金额", "金额", "收支金额", "发生额", "交易额",
               "实付金额"),
        "en": ("Amount", "Transaction Amount", "Billing Amount", "Amount (total)", "Value", "Net Amount",
               "Net", "Gross"),
        "es": ("Importe", "Cantidad", "Monto"),
        "de": ("Betrag", "Umsatz"),
        "fr": ("Montant", "Montant de l'opération"),
        "it": ("Importo",),
        "pt": ("Valor", "Montante", "Quantia"),
        "nl": ("Bedrag",),
        "ja": ("取引金額", "金額", "ご利用金額", "利用金額"),
    },
    "debit": {
        "zh": ("记账金额(支出)", "支出金额", "支出", "借方金额", "借方发生额", "借方", "转出金额", "付款金额",
               "交易金额(支出)"),
        "en": ("Debit", "Debits", "Debit Amount", "Withdrawal", "Withdrawals", "Withdrawal Amount",
               "Money Out", "Paid Out", "Paid out"),
        "es": ("Cargo", "Cargos", "Débito", "Debe"),
        "de": ("Soll", "Lastschrift", "Ausgang"),
        "fr": ("Débit",),
        "it": ("Addebiti", "Addebito", "Uscite", "Dare"),
        "pt": ("Débito", "Saída", "Saídas"),
        "nl": ("Af",),
        "ja": ("お支払金額", "支払金額", "出金", "出金額", "お引出し", "引出金額"),
    },
    "credit": {
        "zh": ("记账金额(收入)", "收入金额", "收入", "贷方金额", "贷方发生额", "贷方", "转入金额", "存入金额",
               "交易金额(收入)"),
        "en": ("Credit", "Credits", "Credit Amount", "Deposit", "Deposits", "Deposit Amount",
               "Money In", "Paid In", "Paid in"),
        "es": ("Abono", "Abonos", "Haber", "Ingreso", "Ingresos"),
        "de": ("Haben", "Gutschrift", "Eingang"),
        "fr": ("Crédit",),
        "it": ("Accrediti", "Accredito", "Entrate", "Avere"),
        "pt": ("Crédito", "Entrada", "Entradas"),
        "nl": ("Bij",),
        "ja": ("お預り金額", "お預入れ", "預入金額", "入金", "入金額"),
    },
    "direction": {
        "zh": ("借贷标志", "借贷方向", "借贷", "收/支", "收支", "收支类型", "收支方向", "资金流向"),
        "en": ("Dr/Cr", "Cr/Dr", "Debit/Credit", "Credit/Debit", "D/C", "C/D", "CR/DR indicator"),
        "es": ("Debe/Haber",),
        "de": ("Soll/Haben", "S/H"),
        "fr": ("Débit/Crédit", "Sens"),
        "it": ("Dare/Avere", "Segno"),
        "pt": ("Débito/Crédito", "D/C"),
        "nl": ("Af Bij", "Af/Bij"),
        "ja": ("入出金区分", "入払区分"),
    },
    "currency": {
        "zh": ("入账币种", "记账币种", "币种", "货币", "币别", "交易币种", "入账货币", "交易货币"),
        "en": ("Currency", "Curr", "Ccy", "Billing Currency", "Transaction Currency"),
        "es": ("Moneda", "Divisa"),
        "de": ("Währung", "Waehrung"),
        "fr": ("Devise", "Monnaie"),
        "it": ("Valuta", "Divisa"),
        "pt": ("Moeda",),
        "nl": ("Munt", "Valuta"),
        "ja": ("通貨",),
    },
    "balance": {
        "zh": ("余额", "账户余额", "联机余额", "交易后余额", "当前余额", "可用余额", "本次余额", "账户结余"),
        "en": ("Balance", "Running Balance", "RunningBalance", "Balance After", "Account Balance"),
        "es": ("Saldo", "Saldo contable", "Saldo disponible"),
        "de": ("Saldo", "Kontostand", "Saldo nach Buchung"),
        "fr": ("Solde", "Solde après opération"),
        "it": ("Saldo", "Saldo contabile", "Saldo disponibile"),
        "pt": ("Saldo", "Saldo na conta", "Saldo após movimento"),
        "nl": ("Saldo", "Saldo na mutatie", "Saldo na boeking"),
        "ja": ("差引残高", "残高", "お取引後残高"),
    },
    "description": {
        "zh": ("交易摘要", "摘要", "交易描述", "交易说明", "商品说明", "商品名称", "交易备注", "备注", "用途",
               "附言", "说明", "交易内容"),
        "en": ("Description", "Details", "Transaction Description", "Memo", "Narrative", "Particulars",
               "Payment Reference", "Transaction Details"),
        "es": ("Concepto", "Descripción", "Descripcion", "Observaciones"),
        "de": ("Verwendungszweck", "Buchungstext", "Beschreibung"),
        "fr": ("Libellé", "Libelle", "Détails", "Description de l'opération"),
        "it": ("Descrizione", "Causale", "Descrizione operazione"),
        "pt": ("Descrição", "Descricao", "Histórico", "Descritivo"),
        "nl": ("Omschrijving", "Mededelingen", "Naam / Omschrijving"),
        "ja": ("摘要", "お取引内容", "取引内容", "内容", "ご利用店名", "利用店名", "お取引先"),
    },
    "counterparty": {
        "zh": ("对方户名", "对方名称", "对方账户名", "交易对方", "对手信息", "收/付方名称", "对方",
               "商户名称",
               "交易商户"),
        "en": ("Counterparty", "Payee", "Payer", "Beneficiary", "Merchant", "Partner Name", "Payee Name",
               "Payer Name", "Name"),
        "es": ("Beneficiario", "Ordenante", "Contraparte"),
        "de": ("Empfänger", "Auftraggeber", "Auftraggeber/Empfänger", "Zahlungsempfänger",
               "Name Zahlungsbeteiligter"),
        "fr": ("Bénéficiaire", "Tiers", "Contrepartie"),
        "it": ("Controparte", "Beneficiario", "Ordinante"),
        "pt": ("Beneficiário", "Favorecido", "Contraparte"),
        "nl": ("Naam tegenpartij", "Naam", "Tegenpartij"),
        "ja": ("相手先", "お取引先名"),
    },
    "id": {
        "zh": ("交易流水号", "流水号", "交易单号", "交易号", "交易编号", "订单号", "凭证号", "业务流水号",
               "参考号", "交易参考号"),
        "en": ("Transaction ID", "ID", "TransferWise ID", "Reference Number", "Transaction Reference",
               "Reference", "Ref"),
        "es": ("Referencia", "Nº de referencia"),
        "de": ("Referenz", "Transaktions-ID", "Buchungsreferenz"),
        "fr": ("Référence", "Reference"),
        "it": ("Riferimento", "Numero operazione"),
        "pt": ("Referência", "Referencia", "Documento"),
        "nl": ("Referentie", "Kenmerk", "Transactiereferentie"),
        "ja": ("取引番号", "お問合せ番号"),
    },
    "fee": {
        "zh": ("手续费", "服务费"),
        "en": ("Fee", "Fees", "Total fees"),
        "es": ("Comisión", "Comision"),
        "de": ("Gebühr", "Gebühren"),
        "fr": ("Frais", "Commission"),
        "it": ("Commissione", "Commissioni"),
        "pt": ("Taxa", "Tarifa"),
        "nl": ("Kosten",),
        "ja": ("手数料",),
    },
    "type": {
        "zh": ("交易类型", "业务类型", "类型", "交易分类", "交易种类"),
        "en": ("Type", "Transaction Type", "Category"),
        "es": ("Tipo", "Tipo de movimiento"),
        "de": ("Typ", "Transaktionstyp", "Buchungsart", "Umsatzart", "Kategorie"),
        "fr": ("Type", "Type d'opération", "Catégorie"),
        "it": ("Tipo", "Tipo operazione", "Categoria"),
        "pt": ("Tipo", "Tipo de movimento", "Categoria"),
        "nl": ("Mutatiesoort", "Soort", "Code"),
        "ja": ("取引区分", "区分"),
    },
    "status": {
        "zh": ("交易状态", "状态"),
        "en": ("State", "Status"),
        "es": ("Estado",),
        "de": ("Status",),
        "fr": ("Statut", "État"),
        "it": ("Stato",),
        "pt": ("Estado", "Situação"),
        "nl": ("Status",),
        "ja": ("状態",),
    },
    "card": {
        "zh": ("卡号末四位", "卡号后四位", "卡号末4位", "卡号后4位", "卡末四位", "卡号"),
        "en": ("Card Last Four Digits", "Card Number", "Card"),
        "es": ("Tarjeta",), "de": ("Karte", "Kartennummer"), "fr": ("Carte",), "it": ("Carta",),
        "pt": ("Cartão",), "nl": ("Kaart", "Kaartnummer"), "ja": ("カード番号",),
    },
    "method": {
        "zh": ("支付方式", "付款方式", "收/付款方式"),
        "en": ("Payment Method", "Funding Source"),
        "es": ("Método de pago",), "de": ("Zahlungsart",), "fr": ("Moyen de paiement",),
        "it": ("Metodo di pagamento",), "pt": ("Forma de pagamento",), "nl": ("Betaalwijze",),
        "ja": ("支払方法",),
    },
}

#: header words that make a file a card statement: the bank writes it from its own side
CARD_WORDS = frozenset({"卡号末四位", "卡号后四位", "卡号末4位", "卡号后4位", "卡末四位", "入账金额"})
#: values of a 借贷标志 / Dr-Cr / 收/支 / Af-Bij column, lower case
OUT_WORDS = frozenset({"借", "借方", "支出", "支", "出", "付", "转出", "出金", "d", "dr", "debit", "af",
                       "s", "soll", "-", "debe", "dare", "débit", "débito"})
IN_WORDS = frozenset({"贷", "贷方", "收入", "收", "入", "转入", "入金", "c", "cr", "credit", "bij", "h",
                      "haben", "+", "haber", "avere", "crédit", "crédito"})
_FLAG_SPLIT = re.compile(r"[\s/()（）]+")


def direction_of(flag: str) -> int | None:
    """-1 for money out, +1 for money in, None when a direction cell says neither (``不计收支``).
    Bilingual cells such as ``借 Dr`` / ``贷 Cr`` count when every word agrees."""
    word = flag.strip().lower()
    if word in OUT_WORDS:
        return -1
    if word in IN_WORDS:
        return 1
    parts = set(_FLAG_SPLIT.split(word)) - {""}
    if parts and parts <= OUT_WORDS:
        return -1
    if parts and parts <= IN_WORDS:
        return 1
    return None


#: header words of a personal wallet or platform bill (not a bank account)
PERSONAL_WORDS = frozenset({"商品说明", "支付方式", "交易创建时间", "收/付款方式"})

_UNIT = re.compile(r"\(([^()]*)\)$")
_UNITS = {"元": "CNY", "+元": "CNY", "-元": "CNY", "人民币": "CNY", "rmb": "CNY", "円": "JPY", "¥": "",
          "$": "", "€": "EUR", "£": "GBP"}


def header_key(cell: str) -> str:
    """A header cell as the vocabulary is keyed: padding, brackets and case folded, and a unit in
    brackets at the end dropped (``收入金额（+元）``, ``Amount (EUR)``); another bracket such as
    ``Amount (Foreign Currency)`` stays, so that column is not taken for the amount."""
    key = normalise_header(cell).lower()
    unit = _UNIT.search(key)
    if unit and (unit.group(1) in _UNITS or re.fullmatch(r"[a-z]{3}", unit.group(1))):
        key = key[: unit.start()]
    return key


def header_currency(cell: str) -> str | None:
    """The currency a header names in brackets: ``Amount (EUR)`` → EUR, ``金额(元)`` → CNY."""
    unit = _UNIT.search(normalise_header(cell).lower())
    if not unit:
        return None
    text = unit.group(1)
    if text in _UNITS:
        return _UNITS[text] or None
    return text.upper() if re.fullmatch(r"[a-z]{3}", text) else None


@dataclass(frozen=True)
class HeaderWord:
    """What one header cell names: the field, its language and its rank among the field's words."""

    field: str
    language: str
    rank: int


def _index() -> dict[str, list[HeaderWord]]:
    found: dict[str, list[HeaderWord]] = {}
    for field, languages in VOCABULARY.items():
        for language, words in languages.items():
            for rank, word in enumerate(words):
                found.setdefault(header_key(word), []).append(HeaderWord(field, language, rank))
    return found


_WORDS = _index()


def read_header_cell(cell: str) -> list[HeaderWord]:
    """Every field a header cell may name (``Saldo`` is a balance in five languages, ``Valuta``
    a currency in Italian and Dutch); empty for a cell that is no header word."""
    return list(_WORDS.get(header_key(cell), ()))
