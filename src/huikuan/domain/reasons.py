"""Reason codes: why a record is unmatched or why a matched group differs (DOMAIN.md §4)."""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    """A reason code as written to ``unmatched.csv`` and ``differences.csv``."""

    # a record with nothing on the other side
    NOT_SETTLED = "not_settled"            # order paid, no settlement line yet
    UNPAID = "unpaid"                      # order never paid
    ORDER_CLOSED = "order_closed"          # order cancelled or closed: nothing to collect
    TIMING = "timing"                      # counterpart falls outside the other file's period
    NO_ORDER = "no_order"                  # a settlement line with no order
    FEE_WITHOUT_ORDER = "fee_without_order"
    UNKNOWN_CREDIT = "unknown_credit"      # bank money in with no payout behind it
    PAYOUT_NOT_RECEIVED = "payout_not_received"
    OUT_OF_SCOPE = "out_of_scope"          # not part of this flow (e.g. a bank fee in payout-bank)
    TRANSFER = "transfer"                  # between the merchant's own accounts, not revenue
    NO_COUNTERPART = "no_counterpart"
    # evidence existed but did not agree
    AMOUNT_MISMATCH = "amount_mismatch"
    AMBIGUOUS = "ambiguous"                # several equally good counterparts
    CURRENCY_MISMATCH = "currency_mismatch"  # the only counterpart of the amount is in another currency
    # differences inside a match
    ROUNDING = "rounding"
    FEE_DEVIATION = "fee_deviation"
    STATUS_MISMATCH = "status_mismatch"
    REFUND_NOT_DEDUCTED = "refund_not_deducted"
    REFUNDED_TWICE = "refunded_twice"
    REFUND_AFTER_SETTLEMENT = "refund_after_settlement"  # informational: an after-sale refund line
    REFUNDED_OVER_PAID = "refunded_over_paid"  # refunds exceed what the buyer paid
    FX_DIFFERENCE = "fx_difference"
    # special records
    DUPLICATE = "duplicate"
    RESERVE_HELD = "reserve_held"
    CHARGEBACK = "chargeback"
    PENALTY = "penalty"
    SUBSIDY = "subsidy"
    BATCHED_PAYOUT = "batched_payout"
    REVERSED = "reversed"                  # a bank entry reversed by the bank (冲账)


#: What each code means, in English (terminal under ``--lang en``, English xlsx headers).
DESCRIPTIONS_EN: dict[Reason, str] = {
    Reason.NOT_SETTLED: "paid but no settlement line found",
    Reason.UNPAID: "order not paid",
    Reason.ORDER_CLOSED: "order closed, nothing to collect",
    Reason.TIMING: "counterpart is probably in the next or previous period",
    Reason.NO_ORDER: "platform line with no order",
    Reason.FEE_WITHOUT_ORDER: "fee with no matching order",
    Reason.UNKNOWN_CREDIT: "bank credit with no payout",
    Reason.PAYOUT_NOT_RECEIVED: "payout with no bank credit",
    Reason.OUT_OF_SCOPE: "not part of this reconciliation",
    Reason.TRANSFER: "transfer between own accounts",
    Reason.NO_COUNTERPART: "no counterpart found",
    Reason.AMOUNT_MISMATCH: "same reference, amounts differ",
    Reason.AMBIGUOUS: "several equally good counterparts",
    Reason.CURRENCY_MISMATCH: "the only counterpart is in another currency",
    Reason.ROUNDING: "difference within rounding",
    Reason.FEE_DEVIATION: "fee differs from the contract rate",
    Reason.STATUS_MISMATCH: "status disagrees",
    Reason.REFUND_NOT_DEDUCTED: "refund in the order, not in the bill",
    Reason.REFUNDED_TWICE: "refund in the bill exceeds the order's",
    Reason.REFUND_AFTER_SETTLEMENT: "after-sale refund taken back from the wallet",
    Reason.REFUNDED_OVER_PAID: "refunds exceed what the buyer paid",
    Reason.FX_DIFFERENCE: "exchange-rate difference",
    Reason.DUPLICATE: "same record imported twice",
    Reason.RESERVE_HELD: "reserve or deposit held",
    Reason.CHARGEBACK: "chargeback",
    Reason.PENALTY: "penalty",
    Reason.SUBSIDY: "subsidy or coupon allocation",
    Reason.BATCHED_PAYOUT: "part of a batched payout",
    Reason.REVERSED: "reversed by the bank",
}

#: What each code means, in Chinese: the ``reason_label`` a clerk reads in the result files.
DESCRIPTIONS_ZH: dict[Reason, str] = {
    Reason.NOT_SETTLED: "已付款未结算",
    Reason.UNPAID: "未付款",
    Reason.ORDER_CLOSED: "交易关闭",
    Reason.TIMING: "跨期",
    Reason.NO_ORDER: "有流水无订单",
    Reason.FEE_WITHOUT_ORDER: "费用无对应订单",
    Reason.UNKNOWN_CREDIT: "银行来账无对应提现",
    Reason.PAYOUT_NOT_RECEIVED: "提现未到账",
    Reason.OUT_OF_SCOPE: "不属于本次对账范围",
    Reason.TRANSFER: "内部转账",
    Reason.NO_COUNTERPART: "无对应记录",
    Reason.AMOUNT_MISMATCH: "金额不符",
    Reason.AMBIGUOUS: "多个候选",
    Reason.CURRENCY_MISMATCH: "币种不符",
    Reason.ROUNDING: "尾差",
    Reason.FEE_DEVIATION: "费率不符",
    Reason.STATUS_MISMATCH: "状态不符",
    Reason.REFUND_NOT_DEDUCTED: "退款未扣",
    Reason.REFUNDED_TWICE: "重复退款",
    Reason.REFUND_AFTER_SETTLEMENT: "售后退款",
    Reason.REFUNDED_OVER_PAID: "退款超过实付",
    Reason.FX_DIFFERENCE: "汇差",
    Reason.DUPLICATE: "重复导入",
    Reason.RESERVE_HELD: "保证金",
    Reason.CHARGEBACK: "拒付",
    Reason.PENALTY: "罚款扣款",
    Reason.SUBSIDY: "补贴",
    Reason.BATCHED_PAYOUT: "合并打款",
    Reason.REVERSED: "冲账",
}

#: Both languages in one text, kept for callers written before the split.
DESCRIPTIONS: dict[Reason, str] = {r: f"{DESCRIPTIONS_EN[r]} / {DESCRIPTIONS_ZH[r]}" for r in Reason}


def describe(code: str, lang: str = "zh") -> str:
    """The label of a reason code in ``lang`` (``zh`` or ``en``); an unknown code (from a user's
    rules file) is its own label rather than an error, so a result is never lost over a word."""
    try:
        reason = Reason(code)
    except ValueError:
        return code
    return (DESCRIPTIONS_ZH if lang == "zh" else DESCRIPTIONS_EN)[reason]
