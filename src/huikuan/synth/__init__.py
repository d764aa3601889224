"""Ground-truth data: a simulated Tmall shop's exports plus the answer key.

``generate_files(out_dir, orders=…)`` writes the Taobao order export, the Alipay 账务明细 and the
China Merchants Bank statement of a simulated period, with realistic noise (:class:`Noise`), and
``truth.csv`` / ``differences.csv`` saying how a perfect reconciliation would treat every record
(:mod:`huikuan.synth.truth`). Used by the engine's precision/recall tests and the benchmarks;
``python -m huikuan.synth --orders N --out DIR`` does the same from a shell.
"""

from huikuan.synth.generate import SynthFiles, generate_files
from huikuan.synth.noise import Noise
from huikuan.synth.truth import ORDERS_SETTLEMENT, PAYOUT_BANK

__all__ = ["ORDERS_SETTLEMENT", "PAYOUT_BANK", "Noise", "SynthFiles", "generate_files"]
