"""Importers: turn a raw export into canonical entries (Arrow) plus row errors.

One module per source format in :mod:`huikuan.importers.sources`; the registry finds the right one
by looking at the file's content, never its name.
"""

from huikuan.importers.base import Importer, ImportResult
from huikuan.importers.profiles import FIELDS as PROFILE_FIELDS
from huikuan.importers.profiles import ROLES as PROFILE_ROLES
from huikuan.importers.profiles import create_profile, create_profile_from, load_profiles, profile_dir
from huikuan.importers.registry import (
    SideImport,
    detect,
    detect_all,
    import_file,
    import_files,
    importers,
    load_side,
)

__all__ = ["PROFILE_FIELDS", "PROFILE_ROLES", "ImportResult", "Importer", "SideImport", "create_profile",
           "create_profile_from", "detect", "detect_all", "import_file", "import_files", "importers",
           "load_profiles", "load_side", "profile_dir"]
