"""Input files looked at before any work: a missing file, a folder, a PDF or an image is named
for what it is in one line, instead of surfacing later as an unknown layout."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from huikuan.cli.messages import say
from huikuan.domain.errors import InputError
from huikuan.importers import ImportResult
from huikuan.results import Lang

#: the first bytes of the image formats people save bills as (screenshots, phone photos)
_IMAGES = {b"\x89PNG": "PNG", b"\xff\xd8\xff": "JPEG", b"GIF8": "GIF",
           b"II*\x00": "TIFF", b"MM\x00*": "TIFF"}


def _problem(path: Path, lang: Lang) -> str | None:
    if path.is_dir():
        return say("is_folder", lang)
    if not path.is_file():
        return say("not_found", lang)
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        return exc.strerror or str(exc)
    if head.startswith(b"%PDF"):
        return say("is_pdf", lang)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return say("is_image", lang, kind="WEBP")
    for magic, kind in _IMAGES.items():
        if head.startswith(magic):
            return say("is_image", lang, kind=kind)
    return None


def check_inputs(paths: Sequence[str], lang: Lang) -> None:
    """Raise :class:`InputError` for the first input that is not a readable export."""
    for name in paths:
        problem = _problem(Path(name), lang)
        if problem:
            raise InputError(name, problem)


def empty_file_warnings(files: Sequence[ImportResult], lang: Lang) -> list[str]:
    """A file that gave no entries and no row errors (a header and nothing else) is worth a word:
    the clerk may have exported the wrong period."""
    return [say("no_records", lang, name=f.name) for f in files if f.entries.num_rows == 0 and not f.errors]
