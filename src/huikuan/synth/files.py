"""What a run of the generator wrote, and which files make up each flow."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from huikuan.synth.truth import ORDERS_SETTLEMENT, PAYOUT_BANK, PDD_SETTLEMENT, WECHAT_SETTLEMENT

Platform = Literal["tmall", "pdd", "wechat"]
BankLayout = Literal["corporate", "personal"]
#: the flows each platform's files make up
FLOWS: dict[str, tuple[str, ...]] = {"tmall": (ORDERS_SETTLEMENT, PAYOUT_BANK),
                                     "pdd": (PDD_SETTLEMENT,), "wechat": (WECHAT_SETTLEMENT,)}


@dataclass(frozen=True)
class SynthFiles:
    """What :func:`generate_files` wrote. Platform bills are listed month by month, the
    overlapping re-export last: give them to a reconciliation in this order so the re-exported
    copies are the ones reported as duplicates.

    ``alipay`` holds the Tmall shop's Alipay statements; ``bills`` the platform bills of any
    shop (the same files for Tmall, the PDD 货款明细 or the WeChat Pay trade bills otherwise)."""

    orders: tuple[Path, ...]
    alipay: tuple[Path, ...]
    bank: tuple[Path, ...]
    truth: Path
    differences: Path
    #: data rows written per file name
    rows: dict[str, int] = field(default_factory=dict)
    #: truth rows per (flow, expected)
    truth_counts: dict[tuple[str, str], int] = field(default_factory=dict)
    platform: str = "tmall"
    bills: tuple[Path, ...] = ()

    @property
    def flows(self) -> tuple[str, ...]:
        """The flows truth.csv scores for these files."""
        return FLOWS[self.platform]

    def sides(self, flow: str) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
        """(left files, right files) of one of :attr:`flows`."""
        if flow not in self.flows:
            raise ValueError(f"unknown flow {flow!r} for a {self.platform} shop: expected one of "
                             f"{', '.join(self.flows)}")
        if flow == PAYOUT_BANK:
            return self.alipay, self.bank
        return self.orders, self.bills or self.alipay
