"""Result files of a reconciliation: what the CLI writes and the web app reads back.

Between the engine and the interfaces: it takes a :class:`~huikuan.engine.MatchResult` and the
two sides' imports and writes the contract's CSV files, ``result.xlsx``, ``entries.parquet`` and
``summary.json`` into a folder that is swapped in whole. No printing here, no Django.
"""

from huikuan.results.folder import OutputFolderError, ResultFolder, check_output_folder, is_previous_result
from huikuan.results.labels import LANGS, Lang, default_lang, reason_label
from huikuan.results.summary import build_summary
from huikuan.results.tables import match_label
from huikuan.results.write import write_result

__all__ = ["LANGS", "Lang", "OutputFolderError", "ResultFolder", "build_summary", "check_output_folder",
           "default_lang", "is_previous_result", "match_label", "reason_label", "write_result"]
