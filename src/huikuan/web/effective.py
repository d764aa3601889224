"""A run's results as they stand after the clerk's decisions, as a result folder on disk.

The engine's folder (``runs/<run>/<flow>/``) never changes. What the workbench pages and the
回款 pages read is ``runs/<run>/effective/<version>/<flow>/`` (named by its flow like the engine's
folder, so reports that name a result by its folder read the same): the same files with the active
decisions laid over them and arranged for paging (:func:`huikuan.web.workbench.prepare`). The
version names the set of active decisions, so a folder is written once per change of decisions
(about a second on a million entries) and every page after it reads one sorted file; two
requests racing to write the same version keep whichever lands first, and a request never sees
a folder half written (it is built under a temporary name and renamed).
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

import duckdb

from huikuan.web import workbench
from huikuan.web.models import Decision, Run
from huikuan.web.storage import resolve

#: bump when the prepared layout changes, so folders written by an older version are rebuilt
LAYOUT = "1"
#: older versions are removed once nobody can still be reading them
KEEP_OLD_SECONDS = 600


def version(run: Run, flow: str) -> str:
    """Names the run's active decisions of ``flow``."""
    from huikuan.web.services.decisions import active

    return _version(flow, active(run, flow))


def _version(flow: str, decisions: Sequence[Decision]) -> str:
    # decisions are never edited, only added or undone, so their ids are enough
    ids = ",".join(str(d.pk) for d in decisions)
    return hashlib.sha256(f"{LAYOUT}:{flow}:{ids}".encode()).hexdigest()[:16]


def effective_folder(run: Run, flow: str) -> Path:
    """The prepared result folder of ``run``'s ``flow`` with its active decisions, written now
    if the decisions changed since it was last written."""
    from huikuan.web.services.decisions import active, as_data, replay_on

    decisions = active(run, flow)  # one query: it names the version and gives the overlay
    base = resolve(run.company, run.result_path)
    root = base / "effective"
    target = root / _version(flow, decisions) / flow
    if (target / workbench.PREPARED).is_file():
        return target
    overlay = None
    if decisions:
        with duckdb.connect() as con:
            overlay = replay_on(con, run, flow, [as_data(d) for d in decisions]).overlay
    root.mkdir(parents=True, exist_ok=True)
    building = root / f".building-{uuid.uuid4().hex}"
    try:
        workbench.prepare(base / flow, building / flow, overlay)
        with contextlib.suppress(OSError):  # another request wrote this version first: same content
            building.rename(target.parent)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    _remove_old(root, keep=target.parent)
    return target


def _remove_old(root: Path, keep: Path) -> None:
    now = time.time()
    for folder in root.iterdir():
        if folder != keep and folder.is_dir() and now - folder.stat().st_mtime > KEEP_OLD_SECONDS:
            shutil.rmtree(folder, ignore_errors=True)
