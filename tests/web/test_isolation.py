"""A user of company A gets 404 on every URL of company B — every pattern, GET and POST."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse

from huikuan.web import urls
from huikuan.web.models import Decision, Period
from huikuan.web.services import decisions
from huikuan.web.services import imports as import_service
from tests.web.helpers import reconcile_month

pytestmark = [pytest.mark.web, pytest.mark.django_db]


def company_patterns() -> list[URLPattern]:
    found = [p for p in urls.company_urls if isinstance(p, URLPattern)]
    nested = [p for p in urls.company_urls if isinstance(p, URLResolver)]
    assert not nested, "nested includes: extend the loop"
    return found


def test_every_company_url_is_404_for_a_member_of_another_company(shop, other_shop, month) -> None:
    run = reconcile_month(other_shop, month)
    record = other_shop.company.imports.first()
    with month.orders[0].open("rb") as fh:
        staged, _ = import_service.stage_upload(other_shop.company, month.orders[0].name, [fh.read()])
    note = decisions.add_note(other_shop.user, run, "orders-settlement",
                              decisions.group(run, "orders-settlement", "M000001"), "theirs").decision
    values = {"company_id": other_shop.company.pk, "run_id": run.pk, "import_id": record.pk,
              "token": staged, "decision_id": note.pk}
    order = _an_overdue_order(run)
    client = Client()
    client.force_login(shop.user)
    checked = 0
    for pattern in company_patterns():
        kwargs = {"company_id": values["company_id"]} | {k: values[k] for k in pattern.pattern.converters}
        url = reverse(pattern.name, kwargs=kwargs)
        for method in (client.get, client.post):
            response = method(url, {"file": "orders_2023-11.csv", "line": 2, "flow": "orders-settlement",
                                    "store": other_shop.store.pk, "order_ref": order, "order": order,
                                    "status": "chased", "format": "xlsx", "name": "collection",
                                    "action": "confirm", "match_id": "M000001"})
            assert response.status_code in (404, 405), (url, method.__name__, response.status_code)
        checked += 1
    assert checked == len(company_patterns()) >= 30
    # nothing the stranger sent changed the other company's decisions or period
    note.refresh_from_db()
    assert note.active
    assert Decision.objects.count() == 1
    assert not Period.objects.exclude(locked_at=None).exists()
    # and the other company's staged upload and data are untouched
    assert import_service.staged_file(other_shop.company, staged).exists()
    assert other_shop.company.imports.count() == 4
    assert not other_shop.company.chase_notes.exists()


def test_the_same_urls_answer_for_the_owner(shop, month) -> None:
    """The 404s above come from scoping, not from broken URLs: the owner gets pages."""
    run = reconcile_month(shop, month)
    client = Client()
    client.force_login(shop.user)
    company = shop.company.pk
    for url in (reverse("company", args=[company]), reverse("setup", args=[company]),
                reverse("imports", args=[company]), reverse("runs", args=[company]),
                reverse("run", args=[company, run.pk]), reverse("run_progress", args=[company, run.pk]),
                reverse("import", args=[company, shop.company.imports.first().pk]),
                reverse("dashboard", args=[company]), reverse("collection", args=[company]),
                reverse("overdue", args=[company]),
                reverse("reports", args=[company]), reverse("custom_report", args=[company]),
                reverse("findings", args=[company])):
        assert client.get(url).status_code == 200, url
    order = _an_overdue_order(run)
    for url, query in ((reverse("order_chain", args=[company]), {"order": order}),
                       (reverse("overdue_export", args=[company]), {"format": "xlsx"}),
                       (reverse("dashboard_report", args=[company]),
                        {"name": "collection", "format": "csv"})):
        assert client.get(url, query).status_code == 200, url
    response = client.post(reverse("set_chase", args=[company]),
                           {"store": shop.store.pk, "order_ref": order, "status": "chased"})
    assert response.status_code == 302


def _an_overdue_order(run) -> str:
    from huikuan.receivables import ResultSet, overdue_orders
    from huikuan.web.storage import resolve

    with ResultSet([resolve(run.company, run.result_path) / "orders-settlement"]) as rs:
        return str(overdue_orders(rs)["order_ref"][0].as_py())


def test_anonymous_users_are_sent_to_login(shop) -> None:
    response = Client().get(reverse("company", args=[shop.company.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_company_list_shows_only_the_users_companies(shop, other_shop) -> None:
    from huikuan.web.selectors import companies_for

    assert list(companies_for(shop.user)) == [shop.company]
    assert list(companies_for(other_shop.user)) == [other_shop.company]
