"""The result folder: checked before any work, written beside it, swapped in whole.

A run killed while writing must leave either the previous result or the new one, never a new
matches.csv beside an old summary.json. So the files are written into ``DIR.tmp-<random>``
next to DIR (same file system, so renames are atomic), and only a complete folder is renamed
into place; the previous result is renamed away first and deleted last.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from pathlib import Path
from types import TracebackType

from huikuan.domain.errors import HuikuanError

MARKER = ".huikuan-result"
#: what a result folder of huikuan may hold; a folder holding only these names is a result too
#: (results written before the marker existed)
RESULT_FILES = frozenset({MARKER, "matches.csv", "unmatched.csv", "differences.csv", "summary.json",
                          "result.xlsx", "entries.parquet"})


class OutputFolderError(HuikuanError):
    """``--out`` cannot take a result: named, with what to do, before any input is read."""

    def __init__(self, folder: Path, problem: str) -> None:
        self.folder = folder
        super().__init__(f"{folder}: {problem}")


def is_previous_result(folder: Path) -> bool:
    """A folder huikuan wrote: it has the marker, a summary.json with ``huikuan_version``, or
    nothing but result file names."""
    if (folder / MARKER).is_file():
        return True
    try:
        if "huikuan_version" in json.loads((folder / "summary.json").read_text("utf-8")):
            return True
    except (OSError, ValueError, TypeError):
        pass
    names = {p.name for p in folder.iterdir()}
    return bool(names) and names <= RESULT_FILES


def check_output_folder(folder: Path) -> None:
    """Refuse, in one line, a ``--out`` that is a file, a folder with other things in it, or a
    place that cannot be written. Nothing is created."""
    if folder.exists() and not folder.is_dir():
        raise OutputFolderError(folder, "is a file, not a folder; choose a folder for the results")
    if folder.is_dir() and any(folder.iterdir()) and not is_previous_result(folder):
        raise OutputFolderError(folder, "folder is not empty and is not a previous huikuan result; "
                                        "choose an empty or new folder")
    parent = folder.absolute().parent
    existing = parent
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise OutputFolderError(folder, f"cannot be created: {existing} is a file")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputFolderError(folder, f"cannot write in {existing}: permission denied")


class ResultFolder:
    """Stage a result beside ``folder`` and put it in place only when complete::

        with ResultFolder(out) as staging:   # checked and created here, before the run
            ...write files into staging...
        # on leaving without an exception: staging replaces out whole; otherwise it is removed
    """

    def __init__(self, folder: Path) -> None:
        check_output_folder(folder)
        self.folder = folder.absolute()
        self.staging = self.folder.with_name(f"{self.folder.name}.tmp-{secrets.token_hex(4)}")

    def __enter__(self) -> Path:
        try:
            self.staging.parent.mkdir(parents=True, exist_ok=True)
            self.staging.mkdir()
        except OSError as exc:
            raise OutputFolderError(self.folder, f"cannot be written: {exc.strerror}") from None
        return self.staging

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        if kind is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            return
        try:
            self.commit()
        except BaseException:
            shutil.rmtree(self.staging, ignore_errors=True)
            raise

    def commit(self) -> None:
        """Mark the staged folder as a complete result and swap it in for the old one."""
        (self.staging / MARKER).write_text("huikuan result; the folder is replaced whole on the next run\n",
                                           "utf-8")
        old = None
        if self.folder.exists():
            # checked again: something may have appeared in the folder while the run was going
            check_output_folder(self.folder)
            old = self.folder.with_name(f"{self.folder.name}.old-{secrets.token_hex(4)}")
            self.folder.rename(old)
        self.staging.rename(self.folder)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
