"""Platform bills as the download APIs deliver them: a .zip of CSVs (Alipay's bill download) or a
.gz. Each member is read as a file of its own, named ``archive.zip!member.csv`` wherever a file
name appears (entries, row errors, messages).

Members are copied, as streams, into a private temporary folder (the readers want a path: Excel
and XML are read from disk) that is removed when the last source reading it is gone. Limits
refuse zip bombs with one line before anything large is written: at most :data:`MAX_MEMBERS`
members, :data:`MAX_EXPANDED` bytes in all, no member expanding more than :data:`MAX_RATIO`-fold
past :data:`_RATIO_FROM` bytes, and no archive inside an archive. Sizes are counted while copying
too: a header that lies about them does not get past the limit.
"""

from __future__ import annotations

import gzip
import shutil
import tempfile
import weakref
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol

from huikuan.domain.errors import InputError

MAX_MEMBERS = 1_000
MAX_EXPANDED = 2 << 30
MAX_RATIO = 200
_RATIO_FROM = 32 << 20
_GZIP = b"\x1f\x8b"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_WORKBOOKS = (".xlsx", ".xlsm")
_JUNK = ("__MACOSX/", ".DS_Store")


class _Stream(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class Unpacked:
    """The temporary folder of one archive; removed once nothing refers to it any more."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._remove = weakref.finalize(self, shutil.rmtree, folder, True)


@dataclass(frozen=True)
class Member:
    """One file taken out of an archive: where it was copied, the name it is reported by, and
    the folder it lives in (kept alive by whoever reads the member)."""

    path: Path
    name: str
    owner: Unpacked


def is_archive(path: Path) -> bool:
    """A .gz, or a zip that is not an Excel workbook (an .xlsx is a zip with content types)."""
    with path.open("rb") as fh:
        head = fh.read(4)
    if head.startswith(_GZIP):
        return True
    if not head.startswith(_ZIP):
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            return "[Content_Types].xml" not in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False  # left to the Excel reader, which says "damaged workbook"


def extract(path: Path, name: str | None = None) -> list[Member]:
    """Every member of the archive at ``path``, copied out under the limits. ``name`` is the
    archive's name in messages and member names when it is not the path's (an upload kept under
    a generated name)."""
    label = name or path.name
    owner = Unpacked(Path(tempfile.mkdtemp(prefix="huikuan-archive-")))
    folder = owner.folder
    try:
        with path.open("rb") as fh:
            gzipped = fh.read(2) == _GZIP
        found = _gunzip(path, folder, label) if gzipped else _unzip(path, folder, label)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if not found:
        raise InputError(label, "the archive holds no files")
    return [Member(target, member, owner) for target, member in found]


def _inner(name: str) -> str:
    return name[:-3] if name.lower().endswith(".gz") else name + ".out"


def _gunzip(path: Path, folder: Path, label: str) -> list[tuple[Path, str]]:
    name = f"{label}!{_inner(label)}"
    target = folder / "0" / PurePosixPath(_inner(path.name)).name  # the path's name, not the label
    target.parent.mkdir()
    try:
        with gzip.open(path, "rb") as stream:
            _copy(stream, target, name, path.stat().st_size)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(label, f"damaged archive: {' '.join(str(exc).split())}") from None
    return [(target, name)]


def _unzip(path: Path, folder: Path, label: str) -> list[tuple[Path, str]]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(label, f"damaged archive: {exc}") from None
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir() and not i.filename.startswith(_JUNK)
                 and not i.filename.endswith(_JUNK[1])]
        if len(infos) > MAX_MEMBERS:
            raise InputError(label, f"the archive holds {len(infos):,} files; at most "
                                    f"{MAX_MEMBERS:,} are read")
        declared = sum(i.file_size for i in infos)
        if declared > MAX_EXPANDED:
            raise InputError(label, f"the archive expands to {declared:,} bytes; at most "
                                    f"{MAX_EXPANDED:,} are read")
        members: list[tuple[Path, str]] = []
        budget = MAX_EXPANDED
        for number, info in enumerate(infos):
            name = f"{label}!{_member_name(info)}"
            if info.flag_bits & 0x1:
                raise InputError(name, "the member is encrypted")
            if info.file_size > _RATIO_FROM and info.file_size > MAX_RATIO * max(1, info.compress_size):
                raise InputError(name, f"expands {info.file_size // max(1, info.compress_size)}-fold: "
                                       "a zip bomb, not an export")
            target = folder / str(number) / PurePosixPath(_member_name(info)).name
            target.parent.mkdir()
            try:
                with archive.open(info) as stream:
                    budget -= _copy(stream, target, name, info.compress_size, budget)
            except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
                raise InputError(name, f"damaged archive: {' '.join(str(exc).split())}") from None
            members.append((target, name))
    return members


def _member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author wrote it. Without the UTF-8 flag zipfile decodes names
    as cp437, but Chinese tools write UTF-8 or GBK there (Alipay's 账务明细 would read as
    mojibake): the original bytes are tried as UTF-8, then GB18030."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for codec in ("utf-8", "gb18030"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return info.filename


def _copy(stream: _Stream, target: Path, name: str, compressed: int,
          budget: int = MAX_EXPANDED) -> int:
    """Copy ``stream`` to ``target`` counting bytes; refuse nesting, bombs and overruns."""
    written = 0
    with target.open("wb") as out:
        while chunk := stream.read(1 << 20):
            if written == 0 and _nested(chunk, target.name):
                raise InputError(name, "an archive inside an archive is not read; unpack it first")
            written += len(chunk)
            if written > budget:
                raise InputError(name, f"expands past {MAX_EXPANDED:,} bytes; a zip bomb, not an export")
            if written > _RATIO_FROM and written > MAX_RATIO * max(1, compressed):
                raise InputError(name, f"expands more than {MAX_RATIO}-fold: a zip bomb, not an export")
            out.write(chunk)
    return written


def _nested(head: bytes, name: str) -> bool:
    if head.startswith(_GZIP):
        return True
    return head.startswith(_ZIP) and not name.lower().endswith(_WORKBOOKS)
