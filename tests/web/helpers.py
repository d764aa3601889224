"""Doing what a user does, through the services, for tests that need data in place."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from huikuan.synth import SynthFiles
from huikuan.web.jobs import work_once
from huikuan.web.models import Import, Run
from huikuan.web.services import imports, runs
from tests.web.conftest import Shop


def upload(shop: Shop, path: Path) -> Import:
    """Stage and accept one file the way the upload page does."""
    token, _ = imports.stage_upload(shop.company, path.name, imports.file_chunks(path))
    return imports.accept(shop.company, token, user=shop.user, store=shop.store,
                          bank_account=shop.bank)


def upload_month(shop: Shop, month: SynthFiles) -> list[Import]:
    return [upload(shop, p) for p in (*month.orders, *month.alipay, *month.bank)]


def reconcile_month(shop: Shop, month: SynthFiles) -> Run:
    """Upload the month, start a run over November 2023 and let the worker run it."""
    upload_month(shop, month)
    run = runs.start_run(shop.company, shop.store, shop.bank, dt.date(2023, 11, 1), dt.date(2023, 11, 30),
                         user=shop.user)
    assert work_once()
    run.refresh_from_db()
    return run
