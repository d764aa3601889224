"""Uploads: stage a file, describe it as ``huikuan inspect`` would, and accept it.

Accepting copies the original (named by its SHA-256) and writes the canonical entries as
Parquet beside it, each through a temporary name; the database row comes last. The same
content twice is refused; rows that earlier imports already hold (the importers' dedupe keys,
e.g. an overlapping re-export) are counted here and dropped at run time, never counted twice."""

from __future__ import annotations

import hashlib
import shutil
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

from huikuan.domain.errors import HuikuanError
from huikuan.importers import ImportResult, detect
from huikuan.web.models import AuditLog, BankAccount, Company, Import, Store
from huikuan.web.storage import company_dir, entries_path, original_path, write_atomically

CHUNK = 1024 * 1024


class UploadRefused(Exception):
    """An upload that cannot become an import; the message is shown to the user as it is."""


@dataclass
class Preview:
    """What a staged file is, shown before the user accepts it."""

    content_hash: str
    file_name: str
    size: int
    description: dict[str, Any] = field(default_factory=dict)
    already: Import | None = None
    overlapping: int = 0
    error: str = ""


def stage_upload(company: Company, name: str, chunks: BinaryIO | Any) -> tuple[str, Path]:
    """Write an uploaded file under the company's staging folder, hashing it on the way;
    refuses it when it exceeds the size limit. Returns (sha256, staged path)."""
    limit = settings.HUIKUAN_MAX_UPLOAD_BYTES
    staging = company_dir(company) / "staging"
    staging.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    temporary = staging / f".upload-{hashlib.sha256(name.encode()).hexdigest()[:12]}.part"
    with temporary.open("wb") as out:
        for chunk in chunks:
            size += len(chunk)
            if size > limit:
                out.close()
                temporary.unlink(missing_ok=True)
                raise UploadRefused(f"{name}: the file is larger than {limit // (1024 * 1024)} MB")
            digest.update(chunk)
            out.write(chunk)
    content_hash = digest.hexdigest()
    # the importers record the file's own name in every entry, so keep it
    target = staging / content_hash / Path(name).name
    target.parent.mkdir(exist_ok=True)
    temporary.replace(target)
    return content_hash, target


def file_chunks(path: Path, size: int = CHUNK) -> Iterator[bytes]:
    """A file on disk in pieces, as an upload arrives (for the demo loader and tests)."""
    with path.open("rb") as fh:
        while chunk := fh.read(size):
            yield chunk


def staged_file(company: Company, content_hash: str) -> Path:
    folder = company_dir(company) / "staging" / content_hash
    files = sorted(folder.iterdir()) if folder.is_dir() else []
    if len(content_hash) != 64 or not files:
        raise UploadRefused("this upload is no longer waiting: upload the file again")
    return files[0]


def read_staged(path: Path) -> tuple[ImportResult, float]:
    """Detect and read a staged file; any problem becomes an :class:`UploadRefused` naming it."""
    try:
        importer, confidence, source = detect(path)
        return importer.read(source), confidence
    except HuikuanError as exc:
        raise UploadRefused(" ".join(str(exc).split())) from exc
    except (UnicodeError, ValueError) as exc:
        raise UploadRefused(f"{path.name}: not a table huikuan can read ({exc})") from exc


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


def preview(company: Company, content_hash: str) -> Preview:
    """Everything the upload page shows for one staged file, including whether it (or some of
    its rows) was imported before."""
    path = staged_file(company, content_hash)
    shown = Preview(content_hash, path.name, path.stat().st_size)
    shown.already = company.imports.filter(content_hash=content_hash).first()
    try:
        result, confidence = read_staged(path)
    except UploadRefused as exc:
        shown.error = str(exc)
        return shown
    shown.description = describe(result, confidence)
    shown.overlapping = overlapping_rows(company, result.entries)
    return shown


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


def accept(company: Company, content_hash: str, *, user: Any = None, store: Store | None = None,
           bank_account: BankAccount | None = None) -> Import:
    """Turn a staged upload into an import: keep the original, write its entries, then the row."""
    if company.imports.filter(content_hash=content_hash).exists():
        raise UploadRefused("this exact file was imported before; nothing was added")
    path = staged_file(company, content_hash)
    result, confidence = read_staged(path)
    info = describe(result, confidence)
    if store is not None and store.company_id != company.pk:
        raise UploadRefused("unknown store")
    if bank_account is not None and bank_account.company_id != company.pk:
        raise UploadRefused("unknown bank account")
    if result.role == "bank" and bank_account is None:
        raise UploadRefused(f"{path.name} is a bank statement: choose the bank account it belongs to")
    if result.role != "bank" and store is None:
        raise UploadRefused(f"{path.name} belongs to a store: choose which")
    overlapping = overlapping_rows(company, result.entries)
    def copy_original(temporary: Path) -> None:
        shutil.copyfile(path, temporary)

    write_atomically(original_path(company, content_hash, path.suffix), copy_original)
    write_atomically(entries_path(company, content_hash),
                     lambda tmp: pq.write_table(result.entries, tmp))
    try:
        with transaction.atomic():
            record = Import.objects.create(
                company=company, content_hash=content_hash, file_name=path.name,
                size=path.stat().st_size, format_id=result.format_id, format_title=result.title,
                role=result.role, encoding=result.encoding or "", period_start=info["period_start"],
                period_end=info["period_end"], rows_read=result.rows_read,
                entries=result.entries.num_rows, duplicates=overlapping, totals=info["totals"],
                checks=info["checks"], warnings=info["warnings"], row_errors=info["row_errors"],
                uploaded_by=user if user is not None and user.is_authenticated else None,
                store=store if result.role != "bank" else None,
                bank_account=bank_account if result.role == "bank" else None)
            AuditLog.objects.create(company=company, user=record.uploaded_by, action="import.accept",
                                    target=f"import:{record.pk}",
                                    details={"file": path.name, "hash": content_hash,
                                             "entries": record.entries, "overlapping": overlapping})
    except IntegrityError as exc:  # a second tab accepted the same file a moment ago
        raise UploadRefused("this exact file was imported before; nothing was added") from exc
    shutil.rmtree(path.parent, ignore_errors=True)
    return record


def discard(company: Company, content_hash: str) -> None:
    """Drop a staged upload the user does not want."""
    shutil.rmtree(staged_file(company, content_hash).parent, ignore_errors=True)
