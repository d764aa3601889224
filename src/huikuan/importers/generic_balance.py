"""The running-balance test: previous balance + amount = balance, row after row.

A statement with a balance column says, in every row, which way its amounts point. The generic
reader uses it twice: to choose the sign convention and between two candidate amount columns
(交易金额 or 入账金额, with or without the fee), and to report the rows where the balance does
not follow, as a file check beside the footer checks. Statements are written oldest first or
newest first; both orders are tried.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class BalanceFit:
    """How well one series of amounts explains the balance column."""

    pairs: int
    agreeing: int
    newest_first: bool
    #: positions (in the series) of rows whose balance does not follow from the row before
    disagreeing: tuple[int, ...] = field(default=())

    @property
    def share(self) -> float:
        return self.agreeing / self.pairs if self.pairs else 0.0


def fit(amounts: Sequence[int | None], balances: Sequence[int | None]) -> BalanceFit:
    """Test ``balance[i] = balance[i-1] + amount[i]`` (oldest first) and
    ``balance[i] = balance[i+1] + amount[i]`` (newest first); the better reading wins.

    Rows without an amount or a balance break the chain: the pair around them is not counted.
    """
    forward: list[int] = []
    backward: list[int] = []
    pairs = 0
    for i in range(1, len(amounts)):
        before, after = balances[i - 1], balances[i]
        if before is None or after is None or amounts[i] is None or amounts[i - 1] is None:
            continue
        pairs += 1
        if before + amounts[i] != after:  # type: ignore[operator]
            forward.append(i)
        if after + amounts[i - 1] != before:  # type: ignore[operator]
            backward.append(i - 1)
    if len(backward) < len(forward):
        return BalanceFit(pairs, pairs - len(backward), True, tuple(backward))
    return BalanceFit(pairs, pairs - len(forward), False, tuple(forward))


def best_fit(candidates: Mapping[str, Sequence[int | None]],
             balances: Sequence[int | None]) -> tuple[str, BalanceFit]:
    """The candidate reading (name → signed amounts) that the balance column confirms best; on a
    tie the first candidate, which the caller lists as its default."""
    best_name, best = "", BalanceFit(0, 0, False)
    for name, amounts in candidates.items():
        result = fit(amounts, balances)
        if not best_name or result.agreeing > best.agreeing:
            best_name, best = name, result
    return best_name, best
