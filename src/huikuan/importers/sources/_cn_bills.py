"""What the Chinese wallet and platform bills (Alipay, WeChat Pay, JD) have in common.

* :func:`tally` — running totals of one file, kept beside its read context, for the totals these
  bills state (``#交易合计：N笔…``, ``总交易单数``, ``收入：N笔 X元``) and that must be checked.
* :func:`unique_id` — a record id seen again in the same file (anonymised exports repeat them)
  becomes ``<id>#2``, ``<id>#3`` … in file order, so record ids stay unique.
* :class:`PersonalBill` — the personal 交易明细 of Alipay, WeChat and JD. The money moves as
  the 收/支 column says: 收入 is positive, 支出 negative. Rows that are neither (不计收支, WeChat
  ``/`` 中性交易) are real rows and are kept:

  - a refund (退款 in the type, the description starting with 退款, status 退款成功) → ``refund``,
    positive: the money came back to the holder;
  - 提现 → ``payout``, negative (wallet to bank card);
  - 还款/转出/购买/买入/申购 → ``transfer``, negative; 充值/转入/卖出/赎回/来自/收益 → ``transfer``,
    positive (money between the holder's own accounts, in or out of the wallet);
  - closed or failed (交易关闭, 失败): no money moved → ``other``, amount 0, the amount as written
    kept in the text (counting it, as income or otherwise, inflated the holder's totals);
  - anything else (先享后付 …) → ``other`` with its amount as written (positive) and its
    status: the bill itself says such rows are neither income nor expense.

  A 转账/红包 (transfer, red packet) in or out is a ``transfer``, not a ``payment``: money between
  people, not a purchase or a sale.

  Every preamble total is checked where its meaning is clear (count of records, 收入/支出 count and
  amount); the neutral total is checked by count and its amount kept in ``meta`` — the bills warn
  that their own statistics of neutral rows follow other rules.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from huikuan.domain.entry import Kind, Status
from huikuan.domain.money import format_minor
from huikuan.domain.roles import Role
from huikuan.importers.base import ReadContext, Row, TableImporter
from huikuan.importers.cells import normalise_header
from huikuan.importers.reader import RawRow


@dataclass
class Tally:
    """Per-file counters: rows and amounts by key, record ids seen, totals the file states,
    positions of columns a footer refers to."""

    counts: Counter[str] = field(default_factory=Counter)
    sums: Counter[str] = field(default_factory=Counter)
    ids: Counter[str] = field(default_factory=Counter)
    stated: dict[str, tuple[int, int]] = field(default_factory=dict)
    columns: dict[str, int] = field(default_factory=dict)

    def add(self, key: str, amount: int = 0) -> None:
        self.counts[key] += 1
        self.sums[key] += amount


def tally(ctx: ReadContext) -> Tally:
    """The running totals of the file ``ctx`` is reading."""
    return ctx.state(Tally)


def unique_id(ctx: ReadContext, record_id: str) -> str:
    """``record_id`` the first time it is seen in this file, then ``record_id#2``, ``#3`` …"""
    ids = tally(ctx).ids
    ids[record_id] += 1
    n = ids[record_id]
    return record_id if n == 1 else f"{record_id}#{n}"


def parse_count(text: str) -> int:
    """A count as bills write it: ``3``, ``20.0`` (WeChat writes counts as decimals)."""
    m = re.fullmatch(r"\s*(\d+)(?:\.0+)?\s*", text)
    if not m:
        raise ValueError(f"{text!r} is not a count")
    return int(m.group(1))


def optional_id(row: Row, name: str) -> str:
    """An id cell where ``/`` or ``0`` means "none" (WeChat, Alipay personal)."""
    value = row.id(name) if row[name] else ""
    return "" if value in ("/", "0", "-") else value


#: header words too common to hint at one format when a file is not recognised
_GENERIC_HEADERS = frozenset(normalise_header(w) for w in (
    "金额", "金额（元）", "备注", "交易时间", "交易状态", "商品名称", "订单编号", "订单号", "完成时间",
    "下单时间", "结算时间", "商品数量", "订单状态", "商户订单号", "交易类型"))


class CnBill(TableImporter):
    """Base of these bills: only their distinctive header words name them as a close format."""

    @classmethod
    def all_header_words(cls) -> tuple[str, ...]:
        return tuple(w for w in super().all_header_words() if w not in _GENERIC_HEADERS)


# ---- personal bills --------------------------------------------------------------------------

_STATED = re.compile(r"(收入|支出|不计收支|中性交易)[:：]\s*(\d+)\s*笔.*?([\d,]+(?:\.\d+)?)\s*元")
_TOTAL = re.compile(r"共[:：]?\s*(\d+)\s*笔")
_BRACKETED = re.compile(r"\[([^\]]+)\]")
_LABELS = {"收入": "in", "支出": "out", "不计收支": "neutral", "中性交易": "neutral"}
_NEUTRAL_RULES: tuple[tuple[tuple[str, ...], Kind, int], ...] = (
    (("提现",), Kind.PAYOUT, -1),
    (("还款", "转出", "购买", "买入", "申购"), Kind.TRANSFER, -1),
    (("充值", "转入", "卖出", "赎回", "来自", "收益"), Kind.TRANSFER, 1),
)
NEUTRAL = "neutral"


def direction(text: str) -> str:
    """收/支 → ``in``, ``out`` or ``neutral`` (不计收支, ``/``, empty)."""
    if text == "收入":
        return "in"
    if text == "支出":
        return "out"
    return NEUTRAL


def personal_status(text: str) -> str | None:
    """交易成功 → completed, 交易关闭 → closed, 退款成功/已退款 → refunded, 等待… → pending."""
    if not text:
        return None
    if "退款" in text:
        return Status.REFUNDED
    if any(w in text for w in ("关闭", "失败", "撤销", "已退回")):
        return Status.CLOSED
    if any(w in text for w in ("等待", "处理中", "待")):
        return Status.PENDING
    return Status.COMPLETED


def _is_transfer(m: Movement) -> bool:
    """A transfer or red packet between people (Alipay 转账红包, WeChat 转账/微信红包)."""
    return any(w in m.category for w in ("转账", "红包"))


def neutral_kind(text: str) -> tuple[Kind, int]:
    """Kind and sign of a row the bill counts as neither income nor expense."""
    for words, kind, sign in _NEUTRAL_RULES:
        if any(w in text for w in words):
            return kind, sign
    return Kind.OTHER, 1


@dataclass
class Movement:
    """One row of a personal bill, read but not yet classified."""

    ts: str
    amount: int                  # unsigned, as written
    direction: str               # in | out | neutral
    record_id: str
    order_ref: str = ""
    counterparty: str = ""
    category: str = ""
    description: str = ""
    memo: str = ""
    status: str = ""
    refunded: int | None = None  # "(已退款89.84)": part of the amount returned later
    fully_refunded: bool = False  # "(已全额退款)"
    fee: int = 0                 # "服务费¥0.10" in 备注: part of an outgoing amount kept as fee


class PersonalBill(CnBill):
    """Base of the personal 交易明细 bills; subclasses turn a row into a :class:`Movement`."""

    role = Role.PERSONAL
    #: preamble label of the holder's account (e.g. ``支付宝账户``) and the meta key it goes to
    account_label: str = ""
    account_key: str = "account"
    #: what the bill calls rows that are neither income nor expense
    neutral_label: str = "不计收支"

    def read_preamble(self, rows: list[RawRow], ctx: ReadContext) -> None:
        stated = tally(ctx).stated
        for row in rows:
            line = ",".join(c for c in row.cells if c)
            if self.account_label and line.startswith(self.account_label):
                value = line[len(self.account_label):].lstrip(":：")
                ctx.meta[self.account_key] = value.strip().strip("[]")
            if line.startswith("起始时间") and len(dates := _BRACKETED.findall(line)) == 2:
                ctx.meta["period_start"], ctx.meta["period_end"] = dates
            elif line.startswith("日期区间") and "至" in line:
                start, end = line.split("：", 1)[-1].split("至", 1)
                ctx.meta["period_start"], ctx.meta["period_end"] = start.strip(), end.strip()
            if m := _STATED.search(line):
                stated[_LABELS[m.group(1)]] = (int(m.group(2)), self.money(m.group(3)))
                ctx.meta[f"stated {m.group(1)}"] = f"{m.group(2)}笔 {m.group(3)}元"
            elif m := _TOTAL.search(line):
                stated["total"] = (int(m.group(1)), 0)

    def read_footer(self, rows: list[RawRow], ctx: ReadContext) -> None:
        t = tally(ctx)
        if "total" in t.stated:
            ctx.check("共…笔记录", t.stated["total"][0], ctx.rows_read, count=True)
        for label, key in (("收入", "in"), ("支出", "out"), (self.neutral_label, NEUTRAL)):
            if key not in t.stated:
                continue
            count, amount = t.stated[key]
            ctx.check(f"{label}笔数", count, t.counts[key], count=True)
            if key != NEUTRAL:  # the bills' own neutral totals follow other rules: kept in meta
                ctx.check(f"{label}金额", amount, t.sums[key])

    def movement(self, row: Row) -> Movement:
        raise NotImplementedError

    def stated_amount(self, m: Movement) -> int:
        """What the preamble statistics count for this row (JD: net of partial refunds)."""
        return m.amount

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        m = self.movement(row)
        ts = self.when(m.ts)
        refundish = "退款" in m.category or m.description.startswith("退款") or m.status == "退款成功"
        status = personal_status(m.status)
        written = m.amount
        if m.direction == NEUTRAL and not refundish and status == Status.CLOSED:
            kind, sign = Kind.OTHER, 0  # closed, neither income nor expense: nothing moved
        elif m.direction == NEUTRAL:
            if refundish:
                kind, sign = Kind.REFUND, 1
            elif m.fully_refunded:
                kind, sign = Kind.PAYMENT, -1
            else:
                kind, sign = neutral_kind(f"{m.category} {m.description}")
        else:
            kind = (Kind.REFUND if refundish
                    else Kind.TRANSFER if _is_transfer(m) else Kind.PAYMENT)
            sign = 1 if m.direction == "in" else -1
        if m.refunded is not None or m.fully_refunded:
            status = Status.REFUNDED
        notes = [m.description, m.memo if m.memo not in ("", "/") else ""]
        if sign == 0:
            notes.append(f"{m.status}: {format_minor(written)} not moved")
        if m.refunded is not None:
            notes.append(f"已退款 {format_minor(m.refunded)}")
        if m.fully_refunded:
            notes.append("已全额退款")
        record_id = unique_id(ctx, m.record_id) if m.record_id else ""
        common = {"ts": ts, "order_ref": m.order_ref, "counterparty": m.counterparty,
                  "status": status, "category": m.category}
        fee = m.fee if sign < 0 and 0 < m.fee < m.amount else 0
        ctx.add(row, kind=kind, amount_minor=sign * (m.amount - fee), record_id=record_id,
                text=" | ".join(n for n in notes if n), **common)
        if fee:
            ctx.add(row, kind=Kind.FEE, amount_minor=-fee,
                    record_id=f"{record_id or f'{ctx.file}:{row.line}'}/fee", text=m.memo, **common)
        tally(ctx).add(m.direction, self.stated_amount(m))
