"""Uploads in a real browser: a file refused before its body was read (413) still shows its
message, and a large file's card shows the worker reading it and then becomes the preview."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.web.browser import MARKS, shot
from tests.web.test_browser_journey import browser_page, shops, worker

pytestmark = MARKS

__all__ = ["browser_page", "shops", "worker"]  # fixtures of the journey


def log_in(page: Any, base: str) -> None:
    from tests.web.conftest import PASSWORD

    page.goto(f"{base}/login/")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{base}/c/*/")


@pytest.mark.usefixtures("transactional_db")
def test_an_upload_too_large_to_read_shows_why_on_the_page(live_server, shops, browser_page, settings,
                                                           tmp_path: Path) -> None:
    settings.HUIKUAN_MAX_UPLOAD_BYTES = 1024 * 1024
    big = tmp_path / "orders_2023-11.csv"
    big.write_bytes(b"1,2\n" * (1024 * 1024))  # 4 MB: the request is refused on Content-Length
    shop, _ = shops
    page = browser_page
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/c/{shop.company.pk}/imports/")
    page.set_input_files("#files", str(big))
    page.wait_for_selector("#previews .card.error")
    shot(page, "uploads-413")
    assert "2 MB" in page.inner_text("#previews .card.error")  # the limit, in the user's language


@pytest.mark.usefixtures("worker")
def test_a_large_file_is_read_by_the_worker_and_its_card_follows(live_server, month, shops, browser_page,
                                                                 settings) -> None:
    settings.HUIKUAN_PREVIEW_IN_WORKER_BYTES = 1024  # the month's orders count as large here
    shop, _ = shops
    page = browser_page
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/c/{shop.company.pk}/imports/")
    page.set_input_files("#files", str(month.orders[0]))
    page.wait_for_selector("article.preview.reading")  # 读取中… x %, polling
    page.wait_for_selector("article.preview form button.primary", timeout=60_000)  # polled until read
    shot(page, "uploads-worker-preview")
    assert "taobao_orders" in page.inner_text("article.preview")
    page.locator("article.preview form button.primary").click()
    page.wait_for_selector(".accepted")
    assert "orders_2023-11.csv" in page.inner_text(".accepted")
