"""The dashboard in a real browser (Debian's Chromium through Playwright): the charts are drawn
from the page's embedded JSON, the 回款 page and an order's chain open, and an accountant sets a
chase status on an overdue order. Screenshots go to tests/e2e/artifacts/ (look at them)."""

from __future__ import annotations

import pytest

from tests.web.browser import MARKS, chromium_page, shot

pytestmark = MARKS

#: JavaScript: how many pixels of a canvas are drawn (not transparent), sampled on a grid
DRAWN = """(id) => {
  const c = document.getElementById(id);
  if (!c || !c.width || !c.height) return 0;
  const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let drawn = 0;
  for (let i = 3; i < data.length; i += 4 * 7) { if (data[i] > 0) drawn++; }
  return drawn;
}"""


@pytest.fixture
def reconciled(transactional_db, settings, month):
    """A company with a contract and a finished run, made before the browser starts (Playwright's
    loop forbids the ORM after)."""
    from huikuan.web.services import setup
    from tests.web.conftest import make_shop
    from tests.web.helpers import reconcile_month

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    shop = make_shop("暖冬羊毛服饰有限公司", "alice")
    setup.add_contract(shop.company, store=shop.store, commission_bp=500, payment_fee_bp=60,
                       settlement_days=10)
    reconcile_month(shop, month)
    return shop


@pytest.fixture
def browser_page():
    with chromium_page() as page:
        yield page


def test_dashboard_charts_collection_and_chasing_an_overdue_order(live_server, reconciled,
                                                                  browser_page) -> None:
    from tests.web.conftest import PASSWORD

    shop, page, base = reconciled, browser_page, live_server.url
    company = f"{base}/c/{shop.company.pk}"
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{company}/")

    page.click("header nav a[href$='/dashboard/']")
    page.wait_for_selector("section.kpis")
    page.wait_for_function(f"({DRAWN})('chart-trend') > 0")
    for chart in ("chart-aging", "chart-fees", "chart-trend"):
        assert page.evaluate(DRAWN, chart) > 50, chart
    assert page.locator(".kpi-rate").inner_text().endswith("%")
    assert page.locator(".kpi-sales").inner_text().startswith("¥")
    shot(page, "dashboard-01")

    page.goto(f"{company}/collection/")
    page.wait_for_selector("table.statuses")
    shot(page, "dashboard-02-collection")
    page.click("table.statuses tr[data-status=settled] a")
    page.wait_for_selector("table.orders tbody tr .s-settled")
    page.locator("table.orders tbody tr td a").first.click()
    page.wait_for_selector("ol.chain li.step-order")
    assert page.locator("ol.chain li").count() >= 2
    shot(page, "dashboard-03-chain")

    page.goto(f"{company}/overdue/")
    page.wait_for_selector("table.overdue tbody tr form.chase-form")
    first = page.locator("table.overdue tbody tr").first
    order = first.get_attribute("data-order")
    first.locator("select[name=status]").select_option("promised")
    first.locator("input[name=note]").fill("买家承诺本周五前付款")
    shot(page, "dashboard-04-overdue")
    first.locator("button").click()
    page.wait_for_load_state()
    row = page.locator(f"table.overdue tbody tr[data-order='{order}']")
    assert "买家承诺本周五前付款" in row.locator(".chase-now").inner_text()
    assert row.locator(".pill.chase-promised").is_visible()
    shot(page, "dashboard-05-chased")
