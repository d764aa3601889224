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


DESCRIPTIONS: dict[Reason, str] = {
    Reason.NOT_SETTLED: "paid but no settlement line found / 已付款未结算",
    Reason.UNPAID: "order not paid / 未付款",
    Reason.ORDER_CLOSED: "order closed, nothing to collect / 交易关闭",
    Reason.TIMING: "counterpart is probably in the next or previous period / 跨期",
    Reason.NO_ORDER: "platform line with no order / 有流水无订单",
    Reason.FEE_WITHOUT_ORDER: "fee with no matching order / 费用无对应订单",
    Reason.UNKNOWN_CREDIT: "bank credit with no payout / 银行来账无对应提现",
    Reason.PAYOUT_NOT_RECEIVED: "payout with no bank credit / 提现未到账",
    Reason.OUT_OF_SCOPE: "not part of this reconciliation / 不属于本次对账范围",
    Reason.TRANSFER: "transfer between own accounts / 内部转账",
    Reason.NO_COUNTERPART: "no counterpart found / 无对应记录",
    Reason.AMOUNT_MISMATCH: "same reference, amounts differ / 金额不符",
    Reason.AMBIGUOUS: "several equally good counterparts / 多个候选",
    Reason.CURRENCY_MISMATCH: "the only counterpart is in another currency / 币种不符",
    Reason.ROUNDING: "difference within rounding / 尾差",
    Reason.FEE_DEVIATION: "fee differs from the contract rate / 费率不符",
    Reason.STATUS_MISMATCH: "status disagrees / 状态不符",
    Reason.REFUND_NOT_DEDUCTED: "refund in the order, not in the bill / 退款未扣",
    Reason.REFUNDED_TWICE: "refund in the bill exceeds the order's / 重复退款",
    Reason.REFUND_AFTER_SETTLEMENT: "after-sale refund taken back from the wallet / 售后退款",
    Reason.REFUNDED_OVER_PAID: "refunds exceed what the buyer paid / 退款超过实付",
    Reason.FX_DIFFERENCE: "exchange-rate difference / 汇差",
    Reason.DUPLICATE: "same record imported twice / 重复导入",
    Reason.RESERVE_HELD: "reserve or deposit held / 保证金",
    Reason.CHARGEBACK: "chargeback / 拒付",
    Reason.PENALTY: "penalty / 罚款扣款",
    Reason.SUBSIDY: "subsidy or coupon allocation / 补贴",
    Reason.BATCHED_PAYOUT: "part of a batched payout / 合并打款",
    Reason.REVERSED: "reversed by the bank / 冲账",
}
