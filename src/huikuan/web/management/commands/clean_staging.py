"""``huikuan-web clean_staging``: remove abandoned uploads and the part files of interrupted ones
(older than ``HUIKUAN_STAGING_MAX_AGE_HOURS``) from every company's staging folder."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from huikuan.web.services.imports import clean_staging


class Command(BaseCommand):
    help = "Remove uploads never accepted and part files of interrupted uploads older than the maximum age."

    def handle(self, *args: Any, **options: Any) -> None:
        removed = clean_staging()
        self.stdout.write(f"{removed} staged upload(s) or leftover(s) removed")
