"""What an analysis finding is, what it is given, and where its thresholds sit.

A finding is a sentence a boss reads (in Chinese and English, numbers in it) plus the records
behind it, so the web app can link each one to the workbench. Thresholds are data with the
defaults documented here; a merchant with other habits passes their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

SEVERITIES = ("high", "medium", "low")
SEVERITY_ZH = {"high": "高", "medium": "中", "low": "低"}

KINDS_ZH = {
    "fee_above_contract": "费率高于合同",
    "refund_spike": "退款率突增",
    "payouts_stopped": "提现中断",
    "payout_not_credited": "提现未到账",
    "slow_settlement": "结算远超常规",
    "write_offs_many": "核销过多",
    "write_off_large": "大额核销",
}
#: at most this many records listed behind one finding (the sentence gives the full count)
MAX_RECORDS = 200


@dataclass(frozen=True)
class RecordRef:
    """One record behind a finding: the result folder (a web run's flow), its id, and the
    workbench tab it shows in (auto, suggested, unmatched_left, unmatched_right)."""

    result: str
    record_id: str
    tab: str


@dataclass(frozen=True)
class Finding:
    kind: str
    severity: str
    store: str
    text_zh: str
    text_en: str
    records: tuple[RecordRef, ...] = ()


@dataclass(frozen=True)
class WrittenOffGroup:
    """One manual write-off as the web app's decisions record it: the group (a match id or an
    order number), its amount in minor units, the reason, who and when. Plain data, so the
    decisions model can feed it without this package knowing Django."""

    group: str
    amount_minor: int
    reason: str
    user: str
    when: date | datetime
    currency: str = "CNY"
    result: str = ""


@dataclass(frozen=True)
class Thresholds:
    """When a number becomes a finding. Defaults:

    - fee rate: more than ``fee_tolerance`` (0.05 percentage points) above the contract;
    - refund spike: a month's refund rate at least ``spike_factor`` × the store's rate over its
      earlier months *and* ``spike_points`` (5 pp) above it, over at least ``spike_min_orders``;
    - payouts stopped: no payout for more than ``payout_gap_days`` while settlements came in;
    - slow settlement: an unsettled order older than ``norm_factor`` × the platform's
      ``norm_percentile`` delay measured in the same run, given ``norm_min_sample`` settled orders;
    - write-offs: ``write_offs_per_user`` or more by one user in a month, or one of at least
      ``large_write_off_minor`` (¥500.00).
    """

    fee_tolerance: float = 0.0005
    spike_factor: float = 2.0
    spike_points: float = 0.05
    spike_min_orders: int = 5
    payout_gap_days: int = 7
    norm_percentile: float = 0.9
    norm_factor: float = 2.0
    norm_min_sample: int = 5
    write_offs_per_user: int = 10
    large_write_off_minor: int = 50_000
