"""The identifiers the exports carry, shaped like the real ones.

Each is unique by construction (a running number inside a fixed width), so no set of used ids
is ever kept in memory.
"""

from __future__ import annotations

#: 账务流水号: date + 14 fixed digits + statement position (32 digits)
SERIAL_INFIX = "20004001110056"
#: 业务流水号 of a payment (the Alipay trade number, 支付单号 in the order export): 28 digits
TRADE_INFIX = "22001"
#: 业务流水号 of the 交易分账 fee of one order of a combined payment (合并付款): 28 digits
SPLIT_INFIX = "22005"
#: 业务流水号 of a 淘宝客 commission (its own trade): 28 digits
TAOBAOKE_INFIX = "22009"
#: 业务流水号 of a payout (提现): 32 digits
PAYOUT_INFIX = "1100700015065"
#: odd and not a multiple of 5, so ``i * _MIX % 10**15`` is a bijection: unique, random-looking
_MIX = 618_033_988_749_897
_WIDE = 10**15


def mixed(index: int, width: int) -> str:
    """``width`` random-looking digits, different for every ``index`` below ``10**width``."""
    return f"{(index + 1) * _MIX % 10**width:0{width}d}"


def account_serial(day: str, position: int) -> str:
    """账务流水号 of the ``position``-th line of the account (``day`` as ``20231102``)."""
    return f"{day}{SERIAL_INFIX}{position:010d}"


def trade_no(day: str, order_index: int) -> str:
    """Alipay trade number of an order, dated by its payment day."""
    return f"{day}{TRADE_INFIX}{(order_index + 1) * _MIX % _WIDE:015d}"


def split_no(day: str, order_index: int) -> str:
    """业务流水号 of the 天猫佣金 of an order paid together with others: not the payment's."""
    return f"{day}{SPLIT_INFIX}{(order_index + 1) * _MIX % _WIDE:015d}"


def taobaoke_no(day: str, order_index: int) -> str:
    """业务流水号 of the 淘宝客 commission of an order."""
    return f"{day}{TAOBAOKE_INFIX}{(order_index + 1) * _MIX % _WIDE:015d}"


def payout_serial(day: str, payout_index: int) -> str:
    """业务流水号 of a payout; the bank shows it in 业务摘要 when it shows anything."""
    return f"{day}{PAYOUT_INFIX}{payout_index:011d}"


def bank_serial(position: int) -> str:
    """CMB 流水号 of the ``position``-th bank row."""
    return f"G02713{position:08d}A"


def waybill(order_no: int) -> str:
    """物流单号 (14 digits) of a shipped order."""
    return f"78{order_no % 10**12:012d}"
