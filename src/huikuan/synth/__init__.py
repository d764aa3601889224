"""Ground-truth data: a simulated shop's exports plus the answer key.

``generate_files(out_dir, orders=…)`` writes the Taobao order export, the Alipay 账务明细 and the
China Merchants Bank statement of a simulated period (``platform="pdd"``: the Pinduoduo order
export and 货款明细; ``platform="wechat"``: the shop's own order list and the WeChat Pay trade
bill; ``bank_layout="personal"``: the date-only CMB personal statement), with realistic noise
(:class:`Noise`), and
``truth.csv`` / ``differences.csv`` saying how a perfect reconciliation would treat every record
(:mod:`huikuan.synth.truth`). Used by the engine's precision/recall tests and the benchmarks;
``python -m huikuan.synth --orders N --out DIR`` does the same from a shell.
"""

from huikuan.synth.files import SynthFiles
from huikuan.synth.generate import generate_files
from huikuan.synth.noise import Noise
from huikuan.synth.truth import ORDERS_SETTLEMENT, PAYOUT_BANK, PDD_SETTLEMENT, WECHAT_SETTLEMENT

__all__ = ["ORDERS_SETTLEMENT", "PAYOUT_BANK", "PDD_SETTLEMENT", "WECHAT_SETTLEMENT", "Noise",
           "SynthFiles", "generate_files"]
