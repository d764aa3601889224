"""The reports pages in a real browser (Debian's Chromium through Playwright): a reconciled month
→ the reports page → build a custom report (dimensions, measures, a filter) → table and chart →
save it by name → open it again. Screenshots go to tests/e2e/artifacts/ (look at them)."""

from __future__ import annotations

import pytest

from tests.web.browser import MARKS, chromium_page, shot

pytestmark = MARKS


@pytest.fixture
def reconciled(transactional_db, settings, month):  # type: ignore[no-untyped-def]
    """A company with its month reconciled, made before the browser starts (Playwright's loop
    forbids the ORM after)."""
    from tests.web.conftest import make_shop
    from tests.web.helpers import reconcile_month

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    shop = make_shop("暖冬羊毛服饰有限公司", "alice")
    return shop, reconcile_month(shop, month)


@pytest.fixture
def browser_page(reconciled):  # type: ignore[no-untyped-def]
    with chromium_page() as page:
        yield page


def test_build_save_and_reopen_a_custom_report(live_server, reconciled, browser_page) -> None:
    from tests.web.conftest import PASSWORD

    shop, run = reconciled
    page, base = browser_page, live_server.url
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{base}/c/{shop.company.pk}/")

    page.goto(f"{base}/c/{shop.company.pk}/reports/")
    assert page.locator("table.reports").first.is_visible()
    shot(page, "reports-01-list")
    page.click("nav.report-links a.primary")
    page.wait_for_selector("form#builder")
    for name, value in (("dims", "month"), ("dims", "status"), ("measures", "count"), ("measures", "sales"),
                        ("measures", "collected"), ("measures", "collection_rate")):
        page.check(f"input[name={name}][value={value}]")
    page.fill("input[name=title]", "按月回款状态")
    page.click("#show")
    page.wait_for_selector("section.report table.records")
    assert page.locator("section.report svg rect").count() >= 1
    header = page.locator("section.report thead th").all_inner_texts()
    assert header[:3] == ["月份", "回款状态", "币种"]
    assert "合计" in page.locator("section.report tr.total").first.inner_text()
    shot(page, "reports-02-custom")

    page.fill("form.save input[name=name]", "月度回款")
    page.click("#save")
    page.wait_for_selector("a.pill:has-text('月度回款')")
    # the saved report reopens with its choices ticked and the same table
    assert page.locator("#builder input[name=dims][value=status]").is_checked()
    assert page.locator("section.report thead th").all_inner_texts() == header
    shot(page, "reports-03-saved")

    page.goto(f"{base}/c/{shop.company.pk}/reports/findings/?run={run.pk}")
    assert page.locator("li.finding").count() >= 1
    shot(page, "reports-04-findings")
