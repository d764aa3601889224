"""What can go wrong in the simulated month, and how often.

Every rate is a share of a population named in its comment; the generator picks exactly
``round(rate * population)`` members (at least one when the rate is above zero and the population
is not empty), so the counts in the truth file follow the rates closely even for small runs.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class Noise:
    """Rates of the realistic mess the generator puts into the files (0 turns one off)."""

    # orders that never reach the platform wallet (share of orders)
    unpaid: float = 0.01             # 等待买家付款 at export time (created in the last two days)
    closed: float = 0.02             # 交易关闭 before payment
    not_settled: float = 0.01        # paid long before the end, but no Alipay line at all
    # Alipay lines whose order is not in the order export (share of orders)
    no_order: float = 0.01           # the order is missing from the export
    carry_in: float = 0.01           # paid before the first period, settled in it (→ timing)
    # amounts inside a group (share of orders)
    refund: float = 0.02             # after-sale refund (交易退款), partial or full
    full_refund_share: float = 0.25  # share of those refunds that return the whole amount
    refund_before_settlement: float = 0.02  # 售中退款: paid − refunded credited, no 交易退款 line
    full_before_share: float = 0.3   # share of those that refund everything (交易关闭, no line)
    combined_payment: float = 0.05   # orders paid together (合并付款) with 1–3 more of the buyer's
    cent: float = 0.005              # payment line differs from the order by ±0.01
    taobaoke: float = 0.2            # orders that also pay a 淘宝客 commission (not noise: a fee)
    # rows exported twice (share of all Alipay rows, taken from the end of the last month)
    duplicates: float = 0.01
    # payouts and the bank (share of payouts)
    same_amount_payouts: float = 0.15  # payouts with the same amount as a neighbour's
    payout_not_received: float = 0.02  # payout with no bank credit
    unknown_credit: float = 0.02       # bank credits with no payout behind them
    payout_reference: float = 0.2      # bank credits that carry the payout's serial
    round_payouts: float = 0.4         # payouts of a round 10 000 / 30 000 / 50 000 yuan
    night_payouts: float = 0.08        # payouts after 20:00, credited the next calendar day
    late_credit: float = 0.05          # credits 3 days and about 2 hours late (amid equal amounts)
    holiday_hold: float = 0.5          # payouts on weekends and PRC holidays credited next workday

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"Noise.{f.name} must be between 0 and 1, not {value!r}")

    @classmethod
    def clean(cls) -> Noise:
        """No noise: every order paid, settled and matched; every payout received, no duplicate.

        Fees, 淘宝客 commissions and payout references stay: they are how the data looks, not
        something that went wrong."""
        return replace(cls(), **dict.fromkeys(_NOISE, 0.0))


#: the realistic default mix
DEFAULT_NOISE = Noise()

_NOISE = (
    "unpaid", "closed", "not_settled", "no_order", "carry_in", "refund", "cent", "duplicates",
    "same_amount_payouts", "payout_not_received", "unknown_credit", "refund_before_settlement",
    "combined_payment", "round_payouts", "night_payouts", "late_credit", "holiday_hold",
)


def pick_count(rate: float, population: int) -> int:
    """How many members of ``population`` a ``rate`` selects: rounded, at least one if rate > 0."""
    if rate <= 0.0 or population <= 0:
        return 0
    return min(population, max(1, round(rate * population)))
