"""The web journey in a real browser (Debian's Chromium through Playwright): log in → upload the
month's files → run → progress reaches 100 % → the results show matches → confirm a suggestion →
match two records by hand (the sums shown live) → write off a difference with a reason → lock the
period → a user of another company gets 404 on the run. Screenshots of each step go to
tests/e2e/artifacts/ (look at them)."""

from __future__ import annotations

import threading

import pytest

from tests.web.browser import MARKS, chromium_page, shot
from tests.web.test_decisions import suggesting_month

pytestmark = MARKS


@pytest.fixture
def browser_page():
    with chromium_page() as page:
        yield page


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


__all__ = ["suggesting_month"]  # the fixture: a month with a suggested payout match


def test_log_in_upload_run_and_read_results(live_server, worker, suggesting_month, shops,
                                            browser_page) -> None:
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
    month = suggesting_month
    files = [str(p) for p in (*month.orders, *month.alipay, *month.bank)]
    page.set_input_files("#files", files)  # the change event sends them, as a drop does
    page.wait_for_selector(f"article.preview >> nth={len(files) - 1}")
    shot(page, "03-previews")
    for done in range(1, len(files) + 1):
        page.locator("article.preview form button.primary").first.click()
        page.wait_for_function("n => document.querySelectorAll('.accepted').length === n", arg=done)
    # the accepted-files table reloads itself after each acceptance
    page.wait_for_function("n => document.querySelectorAll('#accepted tbody tr a').length === n",
                           arg=len(files))
    shot(page, "04-accepted")

    page.goto(f"{base}/c/{shop.company.pk}/runs/")
    shot(page, "05-run-form")
    page.click("form.inline button.primary")
    page.wait_for_selector(".percent")
    shot(page, "06-progress")
    page.wait_for_selector("section.summary", timeout=360_000)  # HX-Refresh at 100 %; minutes under CI load
    shot(page, "07-results")
    run_page = page.url.split("?")[0]
    auto = int(page.locator("nav.tabs a.active b").inner_text())
    assert auto > 0
    assert page.locator("table.records tbody tr").count() == min(auto, 50)
    page.click("nav.tabs a:has-text('未匹配') >> nth=0")
    page.wait_for_selector("table.records")
    shot(page, "08-unmatched-left")
    link = page.locator("table.records tbody tr td a").first
    if link.count():
        link.click()
        page.wait_for_selector("table.raw-cells")
        shot(page, "09-raw-line")
    decide_on(page, run_page)

    page.click("header form button.link")  # log out (a POST form, not a link)
    page.wait_for_url(f"{base}/login/")
    page.fill("input[name=username]", stranger.user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{base}/c/{stranger.company.pk}/")
    response = page.goto(run_page)
    assert response is not None
    assert response.status == 404
    shot(page, "16-other-company-404")


def decide_on(page, run_page: str) -> None:
    """The clerk's month-end on the run page: confirm, match by hand, write off, lock."""
    page.goto(f"{run_page}?flow=payout-bank&tab=suggested")
    assert page.locator("table.records tbody tr").count() == 2
    shot(page, "10-suggested")
    page.click("button.confirm")
    page.wait_for_selector(".flash.success")
    assert page.locator("nav.tabs a.active b").inner_text() == "0"
    page.goto(f"{run_page}?flow=payout-bank&tab=confirmed")
    assert page.locator("table.records .status.confirmed").count() == 2
    shot(page, "11-confirmed")

    # an order the bill never settled, and a payment of the same amount it could not place
    page.goto(f"{run_page}?flow=orders-settlement&tab=unmatched_left&reason=not_settled")
    order = page.locator("table.selectable tbody input[type=checkbox]").first
    amount = int(order.get_attribute("data-amount"))
    order.check()
    assert page.locator('[data-sum="left"]').inner_text() == yuan(amount)
    page.goto(f"{run_page}?flow=orders-settlement&tab=unmatched_right&amount={amount / 100:.2f}")
    # the selection survives the change of tab
    page.locator("table.selectable tbody input[type=checkbox]").first.check()
    assert page.locator('[data-sum="count"]').inner_text() == "2"
    assert page.locator('[data-sum="right"]').inner_text() == yuan(amount)
    assert page.locator('[data-sum="difference"]').inner_text() == "¥0.00"
    shot(page, "12-selected-with-sums")
    page.click("button[value=manual_match]")
    page.wait_for_selector(".flash.success")
    page.goto(f"{run_page}?flow=orders-settlement&tab=manual")
    assert page.locator("table.records tbody tr").count() == 2
    shot(page, "13-matched-by-hand")

    page.goto(f"{run_page}?flow=orders-settlement&tab=differences")
    row = page.locator("table.records tbody tr").first
    row.locator("select[name=reason]").select_option("rounding")
    row.locator("button[value=write_off]").click()
    page.wait_for_selector(".flash.success")
    assert page.locator("table.records .status.written_off").count() >= 1
    shot(page, "14-written-off")

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button.lock")
    page.wait_for_selector(".period.is-locked")
    assert page.locator("button[name=action]").count() == 0
    assert page.locator("#selection").count() == 0
    shot(page, "15-locked")


def yuan(minor: int) -> str:
    return f"¥{minor // 100:,}.{minor % 100:02d}"
