"""The web journey in a real browser (Debian's Chromium through Playwright): log in → upload the
month's files → run → progress reaches 100 % → the results show matches → a user of another
company gets 404. Screenshots of each step go to tests/e2e/artifacts/ (look at them)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent.parent / "e2e" / "artifacts"

pytestmark = [
    pytest.mark.web, pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                       "(apt-get install chromium; .ci/run installs it)"),
    pytest.mark.xdist_group("browser"),
]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture
def browser_page():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        yield page
        browser.close()


@pytest.fixture
def worker(transactional_db):
    """The real job loop in a thread beside the live server, as `make demo` runs it in a process."""
    from django.db import connection

    from huikuan.web.jobs import work_once

    stop = threading.Event()

    def loop() -> None:
        try:
            while not stop.is_set():
                if not work_once():
                    stop.wait(0.3)
        finally:
            connection.close()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(timeout=60)


@pytest.fixture
def shops(transactional_db, settings):
    """Two companies, made before the browser starts (Playwright's loop forbids the ORM after)."""
    from tests.web.conftest import make_shop

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return make_shop("暖冬羊毛服饰有限公司", "alice"), make_shop("另一家公司", "bob")


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_log_in_upload_run_and_read_results(live_server, worker, month, shops, browser_page) -> None:
    from tests.web.conftest import PASSWORD

    shop, stranger = shops
    page = browser_page
    base = live_server.url

    page.goto(f"{base}/login/")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", PASSWORD)
    shot(page, "01-login")
    page.click("button.primary")
    page.wait_for_url(f"{base}/c/{shop.company.pk}/")
    assert page.locator(".next").is_visible()
    shot(page, "02-company-home")

    page.goto(f"{base}/c/{shop.company.pk}/imports/")
    files = [str(p) for p in (*month.orders, *month.alipay, *month.bank)]
    page.set_input_files("#files", files)  # the change event sends them, as a drop does
    page.wait_for_selector(f"article.preview >> nth={len(files) - 1}")
    shot(page, "03-previews")
    for done in range(1, len(files) + 1):
        page.locator("article.preview form button.primary").first.click()
        page.wait_for_function(f"document.querySelectorAll('.accepted').length === {done}")
    # the accepted-files table reloads itself after each acceptance
    page.wait_for_function(f"document.querySelectorAll('#accepted tbody tr a').length === {len(files)}")
    shot(page, "04-accepted")

    page.goto(f"{base}/c/{shop.company.pk}/runs/")
    shot(page, "05-run-form")
    page.click("form.inline button.primary")
    page.wait_for_selector(".percent")
    shot(page, "06-progress")
    page.wait_for_selector("section.summary", timeout=360_000)  # HX-Refresh at 100 %; minutes under CI load
    shot(page, "07-results")
    auto = int(page.locator("nav.tabs a.active b").inner_text())
    assert auto > 0
    assert page.locator("table.records tbody tr").count() == min(auto, 50)
    page.click("nav.tabs a:has-text('未匹配') >> nth=0")
    page.wait_for_selector("table.records")
    shot(page, "08-unmatched-left")
    link = page.locator("table.records tbody tr td a").first
    if link.count():
        link.click()
        page.wait_for_selector("pre.raw")
        shot(page, "09-raw-line")
    run_url = f"{base}/c/{shop.company.pk}/runs/"

    page.click("header form button.link")  # log out (a POST form, not a link)
    page.wait_for_url(f"{base}/login/")
    page.fill("input[name=username]", stranger.user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{base}/c/{stranger.company.pk}/")
    response = page.goto(run_url)
    assert response is not None
    assert response.status == 404
    shot(page, "10-other-company-404")
