"""One call to write any report in any format; the format is chosen by name, never guessed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from huikuan.reports.csv_out import write_csv
from huikuan.reports.model import Report
from huikuan.reports.period import ReportError
from huikuan.reports.xlsx import write_xlsx


def _write_pdf(report: Report, path: Path) -> None:
    # WeasyPrint loads pango when imported: only a PDF pays for it
    try:
        from huikuan.reports.pdf import write_pdf
    except OSError as exc:  # pango missing: WeasyPrint cannot load its libraries
        raise ReportError(f"PDF needs pango and a CJK font: run `make install` (or .ci/pdf-deps) "
                          f"({str(exc).splitlines()[0]})") from None
    write_pdf(report, path)


FORMATS: dict[str, Callable[[Report, Path], None]] = {"csv": write_csv, "xlsx": write_xlsx, "pdf": _write_pdf}


def write_report(report: Report, path: Path, fmt: str) -> None:
    """Write ``report`` to ``path`` as ``fmt`` (csv, xlsx or pdf), through a temporary file beside
    it so a failed write never leaves half a file under the name asked for."""
    writer = FORMATS.get(fmt)
    if writer is None:
        raise ReportError(f"--format {fmt}: give one of {', '.join(FORMATS)}")
    if path.is_dir():
        raise ReportError(f"{path}: is a folder; give a file name for --out")
    if not path.parent.is_dir():
        raise ReportError(f"{path}: folder {path.parent} does not exist")
    partial = path.with_name(f".{path.name}.partial")
    try:
        writer(report, partial)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
