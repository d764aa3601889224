"""Uploads: stage a file, describe it as ``huikuan inspect`` would, and accept it.

Each upload is staged under a generated token (``staging/<token>/``, a :class:`StagedUpload`
row), never under the name the user's computer gave it: that name is data, shown on screen and
carried by the entries (``file``, ``record_id``) and messages through the importers' ``name``.
Two uploads of ``orders_2023-11.csv`` at once are two folders.

Accepting checks the staged bytes against the hash taken while they arrived, copies the
original (named by its SHA-256) and writes the canonical entries as Parquet beside it, each
through a temporary name; under a per-company lock they are renamed into place and the database
row comes last. The same content twice is refused (with the date and name it was imported
under); rows that earlier imports already hold (the importers' dedupe keys, e.g. an overlapping
re-export) are counted here and dropped at run time, never counted twice.

Staging is cleaned: a refused or unreadable upload leaves nothing, an accepted or discarded one
is removed, and :func:`clean_staging` removes what was abandoned (never accepted, or the part
file of an upload a killed server left) after ``HUIKUAN_STAGING_MAX_AGE_HOURS``."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import secrets
import shutil
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from huikuan.domain.errors import HuikuanError
from huikuan.importers import ImportResult
from huikuan.importers.progress import rows_reported
from huikuan.importers.registry import detect
from huikuan.web.models import AuditLog, BankAccount, Company, Import, StagedUpload, Store
from huikuan.web.storage import (
    entries_path,
    is_token,
    original_path,
    safe_suffix,
    staged_upload_dir,
    staging_dir,
    temporary_beside,
    write_atomically,
)

CHUNK = 1024 * 1024
log = logging.getLogger(__name__)
#: a name longer than this is cut (its suffix kept): ``Import.file_name`` holds 255 characters
NAME_LENGTH = 255
_PART = ".part"


class UploadRefused(Exception):
    """An upload that cannot become an import; the message is shown to the user as it is."""


@dataclass
class Preview:
    """What a staged file is, shown before the user accepts it."""

    token: str
    content_hash: str
    file_name: str
    size: int
    description: dict[str, Any] = field(default_factory=dict)
    already: Import | None = None
    overlapping: int = 0
    error: str = ""
    #: the worker is still reading the file (``progress`` per cent)
    reading: bool = False
    progress: int = 0


def display_name(name: str) -> str:
    """The name a user's file is shown and recorded by: its last path part (``/`` or ``\\``),
    without control or format characters, at most :data:`NAME_LENGTH` characters with its
    suffix kept; ``upload`` when nothing is left. Only ever data, never part of a path."""
    base = re.split(r"[\\/]", name)[-1]
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    if base in ("", ".", ".."):
        return "upload"
    if len(base) > NAME_LENGTH:
        suffix = Path(base).suffix if len(Path(base).suffix) <= 16 else ""
        base = base[: NAME_LENGTH - len(suffix)] + suffix
    return base


def _staged_name(file_name: str) -> str:
    """The staged file's own name: ``upload`` and the user's last two suffixes reduced to ASCII
    letters and digits (``upload.csv``, ``upload.xlsx.gz``: the archive reader looks at the inner
    one); nothing else of the user's name."""
    suffixes = [safe_suffix(s) for s in Path(file_name).suffixes[-2:] if s.isascii()]
    return "upload" + "".join(s for s in suffixes if s != ".bin")


def stage_upload(company: Company, name: str, chunks: BinaryIO | Any, *,
                 user: Any = None) -> tuple[str, Path]:
    """Write an uploaded file under a new folder of the company's staging area, hashing it on
    the way; refuses it (keeping nothing) when it exceeds the size limit. Returns (token, staged
    path); the token names the upload in :func:`preview`, :func:`accept` and :func:`discard`."""
    clean_staging(company)
    limit = settings.HUIKUAN_MAX_UPLOAD_BYTES
    file_name = display_name(name)
    token = secrets.token_hex(16)
    folder = staged_upload_dir(company, token)
    folder.mkdir(parents=True)  # a new token: never an existing folder
    target = folder / _staged_name(file_name)
    try:
        digest, size = hashlib.sha256(), 0
        with (folder / _PART).open("xb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise UploadRefused(too_large(file_name))
                digest.update(chunk)
                out.write(chunk)
        (folder / _PART).replace(target)
        StagedUpload.objects.create(
            company=company, token=token, file_name=file_name, size=size, content_hash=digest.hexdigest(),
            uploaded_by=user if user is not None and user.is_authenticated else None)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return token, target


def too_large(file_name: str) -> str:
    limit = settings.HUIKUAN_MAX_UPLOAD_BYTES
    return _("%(name)s: the file is larger than %(limit)s MB; nothing was kept.") % {
        "name": file_name, "limit": _megabytes(limit)}


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f}" if size >= 1024 * 1024 else f"{size / (1024 * 1024):.2f}"


def file_chunks(path: Path, size: int = CHUNK) -> Iterator[bytes]:
    """A file on disk in pieces, as an upload arrives (for the demo loader and tests)."""
    with path.open("rb") as fh:
        while chunk := fh.read(size):
            yield chunk


def staged_upload(company: Company, token: str) -> StagedUpload:
    """The company's staged upload of ``token``, or :class:`UploadRefused`."""
    found = company.staged_uploads.filter(token=token).first() if is_token(token) else None
    if found is None or not staged_upload_dir(company, token).is_dir():
        raise UploadRefused(_gone())
    return found


def _gone() -> str:
    """The refusal of a token that names no waiting upload (accepted, discarded, cleaned, or never)."""
    return _("This upload is no longer waiting: upload the file again.")


def staged_file(company: Company, token: str) -> Path:
    """Where the bytes of a staged upload are."""
    staged = staged_upload(company, token)
    return staged_upload_dir(company, token) / _staged_name(staged.file_name)


def read_staged(path: Path, file_name: str | None = None) -> tuple[ImportResult, float]:
    """Detect and read a staged file, its entries and messages naming it ``file_name``; any
    problem becomes an :class:`UploadRefused` naming it."""
    name = file_name or path.name
    try:
        importer, confidence, source = detect(path, name)
        return importer.read(source), confidence
    except HuikuanError as exc:
        raise UploadRefused(" ".join(str(exc).split())) from exc
    except (UnicodeError, ValueError) as exc:
        raise UploadRefused(_("%(name)s: not a table huikuan can read (%(problem)s)")
                            % {"name": name, "problem": exc}) from exc


def describe(result: ImportResult, confidence: float) -> dict[str, Any]:
    """Format, encoding, period, counts, totals per kind (integer minor units), checks, errors."""
    entries = result.entries
    first, last = pc.min(entries["ts"]).as_py(), pc.max(entries["ts"]).as_py()
    totals = entries.group_by(["kind", "currency"]).aggregate(
        [("amount_minor", "sum"), ("amount_minor", "count")]).to_pylist()
    columns = result.meta.get("columns", "")
    return {
        "format": result.format_id, "title": result.title, "role": result.role,
        "confidence": round(confidence, 2), "encoding": result.encoding or "",
        "rows_read": result.rows_read, "entries": entries.num_rows,
        "period_start": first, "period_end": last,
        "totals": [{"kind": t["kind"], "currency": t["currency"], "count": t["amount_minor_count"],
                    "amount_minor": int(t["amount_minor_sum"] or 0)}
                   for t in sorted(totals, key=lambda t: (t["kind"], t["currency"]))],
        "checks": [{"name": c.name, "file_says": c.expected, "rows_give": c.actual, "ok": c.ok}
                   for c in result.checks],
        "warnings": list(result.warnings),
        "row_errors": [e.as_dict() for e in result.errors],
        "columns": columns, "meta": dict(result.meta),
    }


def previewed_in_worker(staged: StagedUpload) -> bool:
    """Whether a file is large enough that a job, not the request, reads it for its preview."""
    return staged.size > settings.HUIKUAN_PREVIEW_IN_WORKER_BYTES


def preview(company: Company, token: str) -> Preview:
    """Everything the upload page shows for one staged file, including whether it (or some of
    its rows) was imported before. A file that cannot be imported (unreadable, or this exact
    content imported before) is not kept: its card says why and there is nothing to accept."""
    staged = staged_upload(company, token)
    shown = _shown(staged)
    if shown.already is None:
        try:
            result, confidence = read_staged(staged_file(company, token), staged.file_name)
        except UploadRefused as exc:
            shown.error = str(exc)
        else:
            shown.description = describe(result, confidence)
            shown.overlapping = overlapping_rows(company, result.entries)
    if shown.error or shown.already is not None:
        discard(company, token)
    return shown


def _shown(staged: StagedUpload) -> Preview:
    return Preview(staged.token, staged.content_hash, staged.file_name, staged.size,
                   already=staged.company.imports.filter(content_hash=staged.content_hash).first())


def start_preview(company: Company, token: str) -> Preview:
    """Queue the reading of a large staged file; the page polls :func:`preview_status`."""
    from huikuan.web.jobs import enqueue

    staged = staged_upload(company, token)
    shown = _shown(staged)
    if shown.already is not None:
        discard(company, token)
        return shown
    with transaction.atomic():
        StagedUpload.objects.filter(pk=staged.pk).update(status="reading", progress=0)
        enqueue("preview", staged_id=staged.pk)
    shown.reading = True
    return shown


def execute_preview(staged_id: int) -> None:
    """The job of a large file's preview: read it, telling the row how far it got (estimated from
    the rows read and the bytes per row of its start), then keep the description on the row."""
    staged = StagedUpload.objects.select_related("company").filter(pk=staged_id).first()
    if staged is None:
        return  # discarded meanwhile
    company = staged.company
    path = staged_upload_dir(company, staged.token) / _staged_name(staged.file_name)
    per_row = 0.0

    def heard(rows: int) -> None:
        percent = min(99, int(100 * rows * per_row / max(1, staged.size)))
        StagedUpload.objects.filter(pk=staged_id).update(progress=percent)

    outcome: dict[str, Any]
    try:
        per_row = _bytes_per_row(path)
        with rows_reported(heard):
            result, confidence = read_staged(path, staged.file_name)
        outcome = {"facts": _json_ready(describe(result, confidence)),
                   "overlapping": overlapping_rows(company, result.entries)}
        error = ""
        if path.parent.is_dir():  # not discarded meanwhile: accepting will not read the file again
            write_atomically(_prepared_entries(company, staged.token),
                             lambda temporary: pq.write_table(result.entries, temporary))
    except UploadRefused as exc:
        outcome, error = {}, str(exc)
    except Exception as exc:  # the card must stop polling whatever went wrong
        log.exception("preview of staged upload %s failed", staged_id)
        outcome, error = {}, _("%(name)s could not be read: %(problem)s") % {
            "name": staged.file_name, "problem": " ".join(str(exc).split())[:300]}
    StagedUpload.objects.filter(pk=staged_id).update(status="done", progress=100, description=outcome,
                                                     error=error)
    if error:
        shutil.rmtree(staged_upload_dir(company, staged.token), ignore_errors=True)  # nothing to accept


def abandon_preview(staged_id: int, attempts: int) -> None:
    """A large file's preview job was given up (its worker died on every attempt): the card
    stops polling with a message, and the staged bytes go (nothing can be accepted)."""
    staged = StagedUpload.objects.select_related("company").filter(pk=staged_id).first()
    if staged is None:
        return
    error = ngettext(
        "%(name)s could not be read: the background worker stopped %(n)d time; upload it again.",
        "%(name)s could not be read: the background worker stopped %(n)d times; upload it again.",
        attempts) % {"name": staged.file_name, "n": attempts}
    StagedUpload.objects.filter(pk=staged_id).update(status="done", progress=100, description={}, error=error)
    shutil.rmtree(staged_upload_dir(staged.company, staged.token), ignore_errors=True)


def preview_status(company: Company, token: str) -> Preview:
    """A large file's card as far as the worker got: reading (with a percentage) or done."""
    staged = company.staged_uploads.filter(token=token).first() if is_token(token) else None
    if staged is None:
        raise UploadRefused(_gone())
    shown = _shown(staged)
    if staged.status != "done":
        shown.reading, shown.progress = True, staged.progress
        return shown
    if staged.error:
        shown.error = staged.error
        staged.delete()  # shown once; its bytes were removed when it was read
        return shown
    shown.description = _facts(staged.description or {})
    shown.overlapping = int((staged.description or {}).get("overlapping", 0))
    if shown.already is not None:
        discard(company, token)
    return shown


def _facts(kept: dict[str, Any]) -> dict[str, Any]:
    """The description a preview job kept on the row, its dates as datetimes again."""
    facts = dict(kept.get("facts", {}))
    for key in ("period_start", "period_end"):
        if facts.get(key):
            facts[key] = dt.datetime.fromisoformat(facts[key])
    return facts


def _bytes_per_row(path: Path) -> float:
    with path.open("rb") as fh:
        head = fh.read(1 << 20)
    return len(head) / max(1, head.count(b"\n"))


def _json_ready(description: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in description.items()}


def overlapping_rows(company: Company, entries: pa.Table) -> int:
    """How many of ``entries`` earlier imports of the company already hold (same dedupe key)."""
    earlier = [entries_path(company, h) for h in company.imports.values_list("content_hash", flat=True)]
    earlier = [p for p in earlier if p.exists()]
    if not earlier or entries.num_rows == 0:
        return 0
    keys = entries.select(["dedupe_key"])  # noqa: F841 - read by DuckDB below
    with duckdb.connect() as con:
        row = con.execute(
            "SELECT count(*) FROM keys WHERE dedupe_key IN "
            "(SELECT dedupe_key FROM read_parquet(?))", [[str(p) for p in earlier]]).fetchone()
    return int(row[0]) if row else 0


def imported_before(record: Import) -> str:
    """The refusal of content the company already holds, with when and under which name."""
    return _("This exact file was already imported on %(date)s as %(name)s; nothing was added.") % {
        "date": formats.date_format(timezone.localtime(record.created), "Y-m-d H:i"),
        "name": record.file_name}


def accept(company: Company, token: str, *, user: Any = None, store: Store | None = None,
           bank_account: BankAccount | None = None) -> Import:
    """Turn a staged upload into an import: check its bytes against the hash taken on arrival,
    keep the original, write its entries, then the row."""
    staged = staged_upload(company, token)
    content_hash, file_name = staged.content_hash, staged.file_name
    already = company.imports.filter(content_hash=content_hash).first()
    if already is not None:
        discard(company, token)
        raise UploadRefused(imported_before(already))
    if store is not None and store.company_id != company.pk:
        raise UploadRefused(_("Unknown store."))
    if bank_account is not None and bank_account.company_id != company.pk:
        raise UploadRefused(_("Unknown bank account."))
    original = original_path(company, content_hash, Path(file_name).suffix)
    entries = entries_path(company, content_hash)
    kept, written = temporary_beside(original), temporary_beside(entries)
    try:
        if _copy_hashing(staged_file(company, token), kept) != content_hash:
            discard(company, token)
            raise UploadRefused(_("%(name)s changed after it was uploaded (its content no longer matches "
                                  "what arrived); nothing was imported. Upload it again.")
                                % {"name": file_name})
        info, keys = _entries_of(staged, kept, written)
        if info["role"] == "bank" and bank_account is None:
            raise UploadRefused(_("%(name)s is a bank statement: choose the bank account it belongs to.")
                                % {"name": file_name})
        if info["role"] != "bank" and store is None:
            raise UploadRefused(_("%(name)s belongs to a store: choose which.") % {"name": file_name})
        overlapping = overlapping_rows(company, keys)
        record = _commit(staged, info, files=((kept, original), (written, entries)),
                         overlapping=overlapping, user=user, store=store, bank_account=bank_account)
    finally:
        kept.unlink(missing_ok=True)
        written.unlink(missing_ok=True)
    shutil.rmtree(staged_upload_dir(company, token), ignore_errors=True)
    return record


def _entries_of(staged: StagedUpload, kept: Path, written: Path) -> tuple[dict[str, Any], pa.Table]:
    """The description of the checked copy ``kept`` and its entries written to ``written``; returns
    (description, dedupe keys). A file the worker previewed is not read again: its entries were
    kept beside it (from the same bytes, which the caller has just checked against the hash)."""
    prepared = _prepared_entries(staged.company, staged.token)
    if staged.status == "done" and staged.description and prepared.exists():
        shutil.copyfile(prepared, written)
        return _facts(staged.description), pq.read_table(written, columns=["dedupe_key"])
    result, confidence = read_staged(kept, staged.file_name)
    pq.write_table(result.entries, written)
    return describe(result, confidence), result.entries.select(["dedupe_key"])


def _prepared_entries(company: Company, token: str) -> Path:
    return staged_upload_dir(company, token) / "entries.parquet"


def _copy_hashing(source: Path, target: Path) -> str:
    digest = hashlib.sha256()
    with source.open("rb") as src, target.open("wb") as out:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def _commit(staged: StagedUpload, info: dict[str, Any], *,
            files: tuple[tuple[Path, Path], ...], overlapping: int, user: Any, store: Store | None,
            bank_account: BankAccount | None) -> Import:
    """Rename the files into place and write the row, one accept of a company at a time (the
    company row is locked; SQLite's immediate transactions serialise anyway): the same content
    accepted twice at once never has the loser's files replace the winner's."""
    company = staged.company
    try:
        with transaction.atomic():
            Company.objects.select_for_update().filter(pk=company.pk).first()
            already = company.imports.filter(content_hash=staged.content_hash).first()
            if already is not None:
                raise UploadRefused(imported_before(already))
            for temporary, path in files:
                os.replace(temporary, path)
            record = Import.objects.create(
                company=company, content_hash=staged.content_hash, file_name=staged.file_name,
                size=staged.size, format_id=info["format"], format_title=info["title"],
                role=info["role"], encoding=info["encoding"], period_start=info["period_start"],
                period_end=info["period_end"], rows_read=info["rows_read"],
                entries=info["entries"], duplicates=overlapping, totals=info["totals"],
                checks=info["checks"], warnings=info["warnings"], row_errors=info["row_errors"],
                uploaded_by=user if user is not None and user.is_authenticated else None,
                store=store if info["role"] != "bank" else None,
                bank_account=bank_account if info["role"] == "bank" else None)
            AuditLog.objects.create(company=company, user=record.uploaded_by, action="import.accept",
                                    target=f"import:{record.pk}",
                                    details={"file": staged.file_name, "hash": staged.content_hash,
                                             "entries": record.entries, "overlapping": overlapping})
            staged.delete()
    except UploadRefused:
        discard(company, staged.token)
        raise
    except IntegrityError as exc:  # cannot happen under the lock; kept as the last guard
        discard(company, staged.token)
        raise UploadRefused(_("This exact file was imported before; nothing was added.")) from exc
    return record


def discard(company: Company, token: str) -> None:
    """Drop a staged upload the user does not want (or that cannot be imported)."""
    if not is_token(token):
        raise UploadRefused(_gone())
    shutil.rmtree(staged_upload_dir(company, token), ignore_errors=True)
    company.staged_uploads.filter(token=token).delete()


def clean_staging(company: Company | None = None, *, now: dt.datetime | None = None) -> int:
    """Remove uploads older than ``HUIKUAN_STAGING_MAX_AGE_HOURS`` that were never accepted or
    discarded, and anything else in the staging folders untouched that long (the part file of
    an upload a killed server left, staging of older versions). Every company's, or one's.
    Returns how many uploads and leftovers were removed."""
    cutoff = (now or timezone.now()) - dt.timedelta(hours=settings.HUIKUAN_STAGING_MAX_AGE_HOURS)
    removed = 0
    old = StagedUpload.objects.filter(created__lt=cutoff).select_related("company")
    for staged in old.filter(company=company) if company is not None else old:
        shutil.rmtree(staged_upload_dir(staged.company, staged.token), ignore_errors=True)
        staged.delete()
        removed += 1
    for owner in [company] if company is not None else Company.objects.all():
        folder = staging_dir(owner)
        if not folder.is_dir():
            continue
        waiting = set(owner.staged_uploads.values_list("token", flat=True))
        for leftover in list(folder.iterdir()):
            if leftover.name not in waiting and _last_touched(leftover) < cutoff.timestamp():
                if leftover.is_dir() and not leftover.is_symlink():
                    shutil.rmtree(leftover, ignore_errors=True)
                else:
                    leftover.unlink(missing_ok=True)
                removed += 1
    return removed


def _last_touched(path: Path) -> float:
    """The newest modification time of ``path`` and, for a folder, of what it holds. Something in
    it that vanished while it was looked at (an upload renaming its part file, another cleaner)
    means it is in use now: that is now, never "long ago", or a live upload would be removed."""
    try:
        times = [path.lstat().st_mtime]
        if path.is_dir() and not path.is_symlink():
            times += [child.lstat().st_mtime for child in path.iterdir()]
    except OSError:
        return time.time()
    return max(times)
