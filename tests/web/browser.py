"""What the browser tests share: Debian's Chromium launched as the house rules say, one page at
the size the screenshots are reviewed at, and where the screenshots go."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent.parent / "e2e" / "artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
#: every browser test module carries these marks (one xdist worker runs them all, in turn)
MARKS = [
    pytest.mark.web, pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                       "(apt-get install chromium; .ci/run installs it)"),
    pytest.mark.xdist_group("browser"),
]


@contextmanager
def chromium_page() -> Iterator[Any]:
    """A fresh Chromium with one 1366×900 page in zh-CN, closed afterwards. Whatever the test
    did, no page may have broken the Content-Security-Policy (an inline handler, a style
    attribute, a script from elsewhere): Chromium reports each refusal on the console."""
    playwright = pytest.importorskip("playwright.sync_api")
    refused: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
            page.on("console", lambda message: refused.append(f"{page.url}: {message.text}")
                    if "Content Security Policy" in message.text else None)
            yield page
        finally:
            browser.close()
    assert refused == [], refused


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
