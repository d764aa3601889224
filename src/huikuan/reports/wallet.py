"""The wallet walk as a report: one row per pooled wallet, whether it closes and by how much not."""

from __future__ import annotations

from datetime import date

import pyarrow as pa

from huikuan.receivables import PLATFORM_NAMES_ZH, ResultSet, platform_of, wallet_walks
from huikuan.reports.model import Column, Report, ReportRequest


def _verdict(closes: bool | None) -> str:
    return "无余额，未核对" if closes is None else ("平" if closes else "不平")


def wallet_report(rs: ResultSet, request: ReportRequest) -> Report:
    """Opening + settled + fees + refunds + other + payouts = closing, per wallet."""
    walks = wallet_walks(rs, balances=request.balances)
    rows = pa.table({
        "wallet": pa.array([w.wallet for w in walks], pa.string()),
        "platform": pa.array([PLATFORM_NAMES_ZH.get(platform_of(w.source), w.source) for w in walks],
                             pa.string()),
        "currency": pa.array([w.currency for w in walks], pa.string()),
        "first_day": pa.array([date.fromisoformat(w.first_day) if w.first_day else None for w in walks],
                              pa.date32()),
        "last_day": pa.array([date.fromisoformat(w.last_day) if w.last_day else None for w in walks],
                             pa.date32()),
        **{key: pa.array([getattr(w, attr) for w in walks], pa.int64()) for key, attr in (
            ("opening", "opening_minor"), ("settled", "settled_minor"), ("fees", "fees_minor"),
            ("refunds", "refunds_minor"), ("other", "other_minor"), ("payouts", "payouts_minor"),
            ("computed", "computed_closing_minor"), ("closing", "closing_minor"), ("gap", "gap_minor"),
            ("least_opening", "least_opening_minor"))},
        "overdrawn": pa.array([len(w.overdrawn) for w in walks], pa.int64()),
        "verdict": pa.array([_verdict(w.closes) for w in walks], pa.string()),
    })
    columns = [Column("wallet", "钱包账户", "id"), Column("platform", "平台"), Column("currency", "币种"),
               Column("first_day", "起", "date"), Column("last_day", "止", "date"),
               Column("opening", "期初余额", "money"), Column("settled", "货款", "money"),
               Column("fees", "费用", "money"), Column("refunds", "退款", "money"),
               Column("other", "其他", "money"), Column("payouts", "提现", "money"),
               Column("computed", "推算期末", "money"), Column("closing", "账单期末", "money"),
               Column("gap", "差额", "money"), Column("least_opening", "至少应有期初", "money"),
               Column("overdrawn", "透支的提现笔数", "count"), Column("verdict", "结论")]
    notes = ["期初 + 货款 + 费用 + 退款 + 其他 + 提现 = 期末（费用、退款、提现为负）。",
             "明细中没有账户余额列：期初、期末余额由用户提供（--balance 账户=期初:期末）；"
             "未提供时只核对提现前余额不为负，并给出至少应有的期初余额。"]
    span = [w.first_day for w in walks if w.first_day] + [w.last_day for w in walks if w.last_day]
    return Report(name="wallet", title="钱包余额勾稽", columns=columns, rows=rows, notes=notes,
                  totals=rows.slice(0, 0),  # wallets do not add up: each walk stands alone
                  period=request.period or (f"{min(span)} – {max(span)}" if span else "全部"),
                  company=request.company)
