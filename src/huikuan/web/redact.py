"""Text shown to users never names a folder of the server: error messages stored on a Run or a
Job (an engine or pyarrow exception often quotes the file it failed on) keep file names only."""

from __future__ import annotations

import re

#: an absolute path with at least one folder: ``/srv/huikuan/companies/3/imports/ab12.parquet``;
#: not a URL's ``//host/…`` nor a date such as ``2023/11/01`` (no slash or word character before)
_ABSOLUTE_PATH = re.compile(r"(?<![\w.:/~-])/(?:[^\s/'\"`]+/)+(?=[^\s/'\"`])")


def file_names_only(text: str) -> str:
    """``text`` with every absolute path cut to its last component (the file's name)."""
    return _ABSOLUTE_PATH.sub("", text)
