"""When a platform pays an order out: the settlement timing rules behind "expected" and "overdue".

Each platform holds the buyer's money for a while before it reaches the merchant's wallet
(DOMAIN.md §2; sources in docs/RECEIVABLES.md). An order is not late until its expected date has
passed: an order paid on 28 May and settled on 5 June is normal, not an error. The numbers are
the usual upper bounds in calendar days after payment; a shop with another contract passes its
own (``SettlementTiming(days={"taobao": 15})``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

#: calendar days from payment to settlement, by platform (upper bound of the usual case)
PLATFORM_DAYS: Mapping[str, int] = {
    "taobao": 10,     # settles on receipt confirmation; automatic confirmation ≈ 10 days after shipping
    "pdd": 15,        # settles on receipt confirmation (automatic after 10–15 days) plus a short hold
    "jd": 15,         # settles after delivery (妥投) and the settlement cycle
    "douyin": 15,     # 抖店: after receipt confirmation plus 7 days' hold
    "wechat": 7,      # WeChat Pay T+1 for most merchants, T+7 for new or risk-rated ones
    "amazon": 14,     # settlement every 14 days (the DD+7 reserve comes on top)
    "shopify": 3,     # Shopify Payments payout schedule, 2–3 business days
    "stripe": 7,      # standard payout schedule 2–7 days
    "paypal": 1,      # money in the PayPal balance at once; withdrawal is the merchant's choice
    "adyen": 3,       # T+2/T+3 settlement delay by default
}
#: a platform huikuan cannot tell (the shop's own ERP list against an unknown bill)
DEFAULT_DAYS = 15

#: importer id (entries' ``source``) → platform
SOURCE_PLATFORM: Mapping[str, str] = {
    "alipay_account": "taobao", "alipay_business": "taobao", "taobao_orders": "taobao",
    "pdd_account": "pdd", "pdd_orders": "pdd",
    "jd_settlement": "jd", "douyin_settlement": "douyin",
    "wechat_trade": "wechat", "wechat_fundflow": "wechat",
    "amazon_settlement_v2": "amazon", "shopify_payouts": "shopify", "stripe_balance": "stripe",
    "paypal_activity": "paypal", "paypal_statement": "paypal", "adyen_settlement": "adyen",
}

#: the platform's name as a report shows it
PLATFORM_NAMES_ZH: Mapping[str, str] = {
    "taobao": "淘宝/天猫", "pdd": "拼多多", "jd": "京东", "douyin": "抖店", "wechat": "微信支付",
    "amazon": "Amazon", "shopify": "Shopify", "stripe": "Stripe", "paypal": "PayPal", "adyen": "Adyen",
    "other": "其他",
}


def platform_of(source: str | None) -> str:
    """The platform an importer's entries come from; ``other`` for banks, ERP lists, unknowns."""
    return SOURCE_PLATFORM.get(source or "", "other")


@dataclass(frozen=True)
class SettlementTiming:
    """Days from payment to expected settlement per platform; ``days`` overrides the defaults."""

    days: Mapping[str, int] = field(default_factory=dict)
    default: int = DEFAULT_DAYS

    def days_for(self, platform: str) -> int:
        if platform in self.days:
            return self.days[platform]
        return PLATFORM_DAYS.get(platform, self.default)

    def as_rows(self, platforms: list[str]) -> list[tuple[str, int]]:
        """(platform, days) for each platform named, for a SQL join."""
        return [(p, self.days_for(p)) for p in sorted({*platforms, *PLATFORM_DAYS, *self.days, "other"})]
