"""回款 (collection): where each order's money is, what is late, and whether a wallet adds up.

Plain functions over result folders (``entries.parquet``, ``differences.csv``), queried with
DuckDB: the CLI's ``huikuan report`` and the web app call the same ones. No Django here, no
printing. Decisions a person makes (write-offs) come in as arguments; storing them is the
caller's business.
"""

from huikuan.receivables.aging import AGING_BUCKETS, aging_summary, overdue_orders
from huikuan.receivables.chain import order_chain
from huikuan.receivables.source import NotAResultError, ResultSet
from huikuan.receivables.status import STATUS_ZH, STATUSES, WriteOff, order_collections, order_fees
from huikuan.receivables.timing import PLATFORM_DAYS, PLATFORM_NAMES_ZH, SettlementTiming, platform_of
from huikuan.receivables.wallet import WalletWalk, wallet_walks

__all__ = ["AGING_BUCKETS", "PLATFORM_DAYS", "PLATFORM_NAMES_ZH", "STATUSES", "STATUS_ZH",
           "NotAResultError", "ResultSet", "SettlementTiming", "WalletWalk", "WriteOff", "aging_summary",
           "order_chain", "order_collections", "order_fees", "overdue_orders", "platform_of", "wallet_walks"]
