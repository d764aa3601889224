"""Importers: turn a raw export into canonical entries (Arrow) plus row errors.

One module per source format in :mod:`huikuan.importers.sources`; the registry finds the right one
by looking at the file's content, never its name.
"""

from huikuan.importers.base import Importer, ImportResult
from huikuan.importers.registry import (
    detect,
    detect_all,
    import_file,
    import_files,
    importers,
    load_side,
)

__all__ = ["ImportResult", "Importer", "detect", "detect_all", "import_file", "import_files", "importers",
           "load_side"]
