"""Finds the importer for a file by its content and loads whole sides of a reconciliation."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from huikuan.domain.entry import ENTRY_SCHEMA
from huikuan.domain.errors import InputError, RowError, UnknownFormatError
from huikuan.domain.roles import Role
from huikuan.importers import sources
from huikuan.importers.archive import extract, is_archive
from huikuan.importers.base import Importer, ImportResult, TableImporter
from huikuan.importers.cells import normalise_header
from huikuan.importers.generic import GenericReader
from huikuan.importers.profiles import profile_importers
from huikuan.importers.progress import rows_reported
from huikuan.importers.reader import SourceFile

THRESHOLD = 0.5
PROFILE_HINT = (
    "If it is your own layout, save a column mapping once: "
    "huikuan profile create FILE --name NAME --id COLUMN --date COLUMN --amount COLUMN"
)


@cache
def importers() -> tuple[Importer, ...]:
    """Every importer in ``huikuan.importers.sources``, in a stable order."""
    found: list[Importer] = []
    for info in sorted(pkgutil.iter_modules(sources.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{sources.__name__}.{info.name}")
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, Importer) and value.id
                    and value.__module__ == module.__name__):
                found.append(value())
    return tuple(sorted(found, key=lambda imp: imp.id))


def detect(path: str | Path, name: str | None = None) -> tuple[Importer, float, SourceFile]:
    """The best importer for the file at ``path``, or :class:`UnknownFormatError`. An archive
    of one file (a .gz) is that file; one of several needs :func:`detect_all`. ``name`` is the
    file's name in entries and messages when it is not the path's (see :func:`detect_all`)."""
    found = detect_all(path, name)
    if len(found) > 1:
        raise InputError(name or Path(path).name, f"an archive of {len(found)} files; read each with "
                                                  "detect_all (huikuan match and inspect do)")
    return found[0]


def detect_all(path: str | Path, name: str | None = None) -> list[tuple[Importer, float, SourceFile]]:
    """The importer of each file in ``path``: the file itself, or each member of a .zip/.gz
    (read as ``archive.zip!member.csv``, see :mod:`huikuan.importers.archive`). ``name``, when
    given, is the name the file is reported by in entries (``file``, ``record_id``), row errors
    and messages instead of the path's: the web app keeps uploads under generated names."""
    path = Path(path)
    if path.is_file() and path.stat().st_size and is_archive(path):
        return [detect_source(SourceFile(m.path, name=m.name, origin=path, keep=m.owner))
                for m in extract(path, name)]
    return [detect_source(SourceFile(path, name=name))]


def detect_source(source: SourceFile) -> tuple[Importer, float, SourceFile]:
    """The best importer for an opened file, or :class:`UnknownFormatError`."""
    if source.size == 0:
        raise InputError(source.name, "the file is empty")
    scored = sorted(
        # saved profiles are read on every call: one created a moment ago counts at once
        ((imp.detect(source), imp) for imp in (*importers(), *profile_importers())),
        key=lambda pair: (-pair[0], pair[1].id),
    )
    if scored and scored[0][0] >= THRESHOLD:
        return scored[0][1], scored[0][0], source
    generic = GenericReader()  # only when no module knows the file: every module wins over a guess
    confidence = generic.detect(source)
    if confidence >= THRESHOLD:
        return generic, confidence, source
    raise UnknownFormatError(source.name, closest_formats(source), PROFILE_HINT)


def closest_formats(source: SourceFile, limit: int = 3) -> list[tuple[str, str]]:
    """Formats whose header words overlap most with the start of the file."""
    try:
        text = "".join(normalise_header("".join(r.cells)) for r in source.head_rows(40))
    except Exception:  # a file we cannot even split into rows: nothing is close
        return []
    scores = []
    for imp in importers():
        words = imp.all_header_words() if isinstance(imp, TableImporter) else tuple(imp.hint_words)
        if words:
            hits = sum(1 for w in set(words) if w in text)
            if hits:
                scores.append((hits / len(set(words)), imp.id, imp.title))
    scores.sort(key=lambda s: (-s[0], s[1]))
    return [(fid, title) for _, fid, title in scores[:limit]]


def import_file(path: str | Path) -> ImportResult:
    """Detect the format of ``path`` and read it."""
    importer, _, source = detect(path)
    return importer.read(source)


def import_files(path: str | Path) -> list[ImportResult]:
    """Detect and read ``path``, or every member of it when it is an archive."""
    return [importer.read(source) for importer, _, source in detect_all(path)]


@dataclass
class SideImport:
    """All files of one side of a reconciliation, read and de-duplicated."""

    files: list[ImportResult]
    entries: pa.Table
    duplicates: pa.Table
    errors: list[RowError] = field(default_factory=list)

    @property
    def roles(self) -> set[Role]:
        return {f.role for f in self.files}


def load_side(paths: Sequence[str | Path], on_file: Callable[[Path], None] | None = None,
              on_read: Callable[[ImportResult], None] | None = None,
              on_rows: Callable[[int], None] | None = None) -> SideImport:
    """Read every file and drop records imported twice (overlapping exports), keeping the first
    occurrence in file order. The dropped copies are returned, to be reported as duplicates.
    ``on_file`` is called before each file is read and ``on_read`` after, ``on_rows`` with the
    running row count of the file being read (for progress)."""
    results = []
    for path in paths:
        if on_file:
            on_file(Path(path))
        for importer, _, source in detect_all(path):  # an archive: each member a file of its own
            with rows_reported(on_rows):
                result = importer.read(source)
            results.append(result)
            if on_read:
                on_read(result)
    tables = [r.entries for r in results]
    entries = pa.concat_tables(tables) if tables else ENTRY_SCHEMA.empty_table()
    entries, duplicates = split_duplicates(entries)
    errors = [e for r in results for e in r.errors]
    return SideImport(results, entries, duplicates, errors)


def split_duplicates(entries: pa.Table) -> tuple[pa.Table, pa.Table]:
    """(first occurrences, later copies) by ``dedupe_key``, order preserved."""
    if entries.num_rows == 0:
        return entries, entries.slice(0, 0)
    position = pa.array(range(entries.num_rows), type=pa.int64())
    keyed = pa.table({"dedupe_key": entries["dedupe_key"], "position": position})
    firsts = keyed.group_by("dedupe_key", use_threads=False).aggregate([("position", "min")])
    is_first = pc.is_in(position, value_set=firsts["position_min"])
    if pc.all(is_first).as_py():
        return entries, entries.slice(0, 0)
    return entries.filter(is_first), entries.filter(pc.invert(is_first))
