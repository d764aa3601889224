"""The clerk's actions through the services: what the workbench shows after each, who may act,
the period lock, and the audit log. A simulated month (seed 2) with one suggested payout match,
a 1-fen rounding difference and unmatched records on both sides."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from django.contrib.auth.models import User
from django.utils import translation

from huikuan.synth import SynthFiles, generate_files
from huikuan.web import workbench
from huikuan.web.models import AuditLog, Decision, Membership, Run, WriteOffLimit
from huikuan.web.services import decisions, periods, runs
from huikuan.web.storage import resolve
from tests.web.conftest import PASSWORD, Shop
from tests.web.helpers import reconcile_month

pytestmark = [pytest.mark.web, pytest.mark.django_db]


@pytest.fixture(scope="session")
def suggesting_month(tmp_path_factory: pytest.TempPathFactory) -> SynthFiles:
    """A month whose payout ↔ bank flow has a suggested match (a credit more than 3 days late)."""
    return generate_files(tmp_path_factory.mktemp("synth2"), orders=120, seed=2)


@pytest.fixture(autouse=True)
def english():
    """Refusals read in English here (pages follow the request's language, Chinese by default)."""
    with translation.override("en"):
        yield


def tab(run: Run, flow: str, name: str, **filters: str) -> list[dict]:
    with duckdb.connect() as con:
        overlay = decisions.effective(run, flow, con).overlay
    folder = resolve(run.company, run.result_path) / flow
    return workbench.page(folder, name, workbench.Filters(**filters), size=500, overlay=overlay).rows


def keys(rows: list[dict]) -> list[tuple[str, str, str]]:
    return [(r["file"], r["record_id"], r["side"]) for r in rows]


def a_pair(run: Run) -> tuple[dict, dict]:
    """An unmatched order and an unmatched payment of the same amount (orders ↔ settlement)."""
    rights = tab(run, "orders-settlement", "unmatched_right")
    for left in tab(run, "orders-settlement", "unmatched_left"):
        right = next((r for r in rights if r["amount_minor"] == left["amount_minor"] > 0), None)
        if right:
            return left, right
    raise AssertionError("the month has no such pair")


def member(shop: Shop, username: str, role: str) -> User:
    user = User.objects.create_user(username, password=PASSWORD)
    Membership.objects.create(user=user, company=shop.company, role=role)
    return user


def test_confirm_match_write_off_and_undo_change_what_the_workbench_shows(shop, suggesting_month) -> None:
    run = reconcile_month(shop, suggesting_month)
    suggested = tab(run, "payout-bank", "suggested")
    assert len(suggested) == 2
    decisions.confirm(shop.user, run, "payout-bank", suggested[0]["match_id"])
    assert tab(run, "payout-bank", "suggested") == []
    confirmed = tab(run, "payout-bank", "confirmed")
    assert keys(confirmed) == keys(suggested)
    assert {r["match_id"] for r in confirmed} == {suggested[0]["match_id"]}

    left, right = a_pair(run)
    outcome = decisions.manual_match(shop.user, run, "orders-settlement",
                                     decisions.refs(run, keys([left, right])))
    assert (outcome.left_minor, outcome.right_minor, outcome.difference_minor) == (
        left["amount_minor"], right["amount_minor"], 0)
    manual = tab(run, "orders-settlement", "manual")
    assert sorted(keys(manual)) == sorted(keys([left, right]))
    assert {r["match_id"] for r in manual} == {"D000001"}
    assert left["record_id"] not in {r["record_id"] for r in tab(run, "orders-settlement", "unmatched_left")}

    rounding = tab(run, "orders-settlement", "differences")[0]
    assert (rounding["difference"], rounding["reason"]) == ("0.01", "rounding")
    written = decisions.write_off(shop.user, run, "orders-settlement",
                                  decisions.group(run, "orders-settlement", rounding["match_id"]), "rounding")
    assert written.decision.amount_minor == 1
    off = tab(run, "orders-settlement", "written_off")
    assert {r["match_id"] for r in off} == {rounding["match_id"]}
    assert sum(r["written_off_minor"] or 0 for r in off) == 1
    assert tab(run, "orders-settlement", "differences")[0]["status_now"] == "written_off"

    decisions.undo(shop.user, run, written.decision.pk)
    assert tab(run, "orders-settlement", "written_off") == []
    assert Decision.objects.get(pk=written.decision.pk).undone is not None  # kept, marked undone
    assert list(AuditLog.objects.filter(company=shop.company, action__startswith="decision.")
                .values_list("action", flat=True).order_by("id")) == [
        "decision.confirm", "decision.manual_match", "decision.write_off", "decision.undo"]


def test_a_decision_that_does_not_apply_is_refused_with_the_reason(shop, suggesting_month) -> None:
    run = reconcile_month(shop, suggesting_month)
    auto = tab(run, "payout-bank", "auto")[0]
    with pytest.raises(decisions.DecisionRefused, match="no longer one suggested match"):
        decisions.confirm(shop.user, run, "payout-bank", auto["match_id"])
    left, _right = a_pair(run)
    with pytest.raises(decisions.DecisionRefused, match="both sides"):
        decisions.manual_match(shop.user, run, "orders-settlement", decisions.refs(run, keys([left])))
    with pytest.raises(decisions.DecisionRefused, match="reason"):
        decisions.write_off(shop.user, run, "orders-settlement",
                            decisions.group(run, "orders-settlement", auto["match_id"]), "")
    assert not Decision.objects.exists()


def test_write_offs_stop_at_the_company_limit(shop, suggesting_month) -> None:
    run = reconcile_month(shop, suggesting_month)
    lefts = tab(run, "payout-bank", "unmatched_left")
    rights = tab(run, "payout-bank", "unmatched_right")
    records = decisions.refs(run, keys([lefts[0], rights[0]]))
    difference = lefts[0]["amount_minor"] + rights[0]["amount_minor"]  # payouts are negative in the wallet
    assert abs(difference) > decisions.write_off_limit(shop.company) == 1000
    with pytest.raises(decisions.DecisionRefused, match=r"exceeds the write-off limit of 10\.00"):
        decisions.write_off(shop.user, run, "payout-bank", records, "bad_debt")
    WriteOffLimit.objects.create(company=shop.company, limit_minor=abs(difference))
    outcome = decisions.write_off(shop.user, run, "payout-bank", records, "bad_debt")
    assert outcome.difference_minor == outcome.decision.amount_minor == difference


def test_a_viewer_cannot_act_and_only_an_admin_unlocks(shop, suggesting_month) -> None:
    run = reconcile_month(shop, suggesting_month)
    viewer = member(shop, "vera", "viewer")
    admin = User.objects.get(username="alice-admin")
    match_id = tab(run, "payout-bank", "suggested")[0]["match_id"]
    with pytest.raises(periods.NotAllowed):
        decisions.confirm(viewer, run, "payout-bank", match_id)
    with pytest.raises(periods.NotAllowed):
        periods.lock_period(viewer, run)
    periods.lock_period(shop.user, run)  # an accountant closes the period…
    with pytest.raises(periods.NotAllowed):
        periods.unlock_period(shop.user, run)  # …but cannot open it again
    assert periods.unlock_period(admin, run).locked_at is None
    decisions.confirm(shop.user, run, "payout-bank", match_id)


def test_a_locked_period_refuses_every_action_until_an_admin_unlocks(shop, suggesting_month) -> None:
    run = reconcile_month(shop, suggesting_month)
    admin = User.objects.get(username="alice-admin")
    match_id = tab(run, "payout-bank", "suggested")[0]["match_id"]
    left, right = a_pair(run)
    pair = decisions.refs(run, keys([left, right]))
    noted = decisions.add_note(shop.user, run, "orders-settlement", pair[:1], "买家说已付款").decision
    periods.lock_period(shop.user, run)
    actions = [
        lambda: decisions.confirm(shop.user, run, "payout-bank", match_id),
        lambda: decisions.reject(shop.user, run, "payout-bank", match_id),
        lambda: decisions.manual_match(shop.user, run, "orders-settlement", pair),
        lambda: decisions.unmatch(shop.user, run, "payout-bank", match_id),
        lambda: decisions.write_off(shop.user, run, "orders-settlement", pair, "rounding"),
        lambda: decisions.add_note(shop.user, run, "orders-settlement", pair, "x"),
        lambda: decisions.undo(admin, run, noted.pk),
    ]
    for action in actions:
        with pytest.raises(periods.PeriodLocked, match="This period is locked"):
            action()
    assert Decision.objects.count() == 1
    with pytest.raises(runs.RunRefused, match="locked"):
        runs.start_run(shop.company, shop.store, shop.bank, run.period_start, run.period_end, user=shop.user)
    periods.unlock_period(admin, run)
    decisions.confirm(shop.user, run, "payout-bank", match_id)
    assert list(AuditLog.objects.filter(company=shop.company, action__startswith="period.")
                .values_list("action", "user__username").order_by("id")) == [
        ("period.lock", "alice"), ("period.unlock", "alice-admin")]


def test_a_lock_covers_overlapping_runs_of_the_store(shop, suggesting_month) -> None:
    run = reconcile_month(shop, suggesting_month)
    periods.lock_period(shop.user, run)
    assert periods.locked_period(shop.company, shop.store, dt.date(2023, 11, 15), dt.date(2023, 12, 15))
    december = (dt.date(2023, 12, 1), dt.date(2023, 12, 31))
    assert periods.locked_period(shop.company, shop.store, *december) is None


def test_the_pages_act_through_the_services_and_hide_actions_when_locked(shop, suggesting_month,
                                                                        client) -> None:
    from django.urls import reverse

    run = reconcile_month(shop, suggesting_month)
    url = reverse("run", args=[shop.company.pk, run.pk])
    decide = reverse("decide", args=[shop.company.pk, run.pk])
    match_id = tab(run, "payout-bank", "suggested")[0]["match_id"]
    viewer = member(shop, "vera", "viewer")
    client.force_login(viewer)
    assert 'name="action"' not in client.get(f"{url}?flow=payout-bank&tab=suggested").content.decode()
    confirm = {"action": "confirm", "flow": "payout-bank", "match_id": match_id}
    assert client.post(decide, confirm).status_code == 404
    assert client.post(reverse("lock_period", args=[shop.company.pk, run.pk])).status_code == 404

    client.force_login(shop.user)
    page = client.get(f"{url}?flow=payout-bank&tab=suggested").content.decode()
    assert 'value="confirm"' in page
    assert 'id="selection"' in page
    response = client.post(decide, {"action": "confirm", "flow": "payout-bank", "tab": "suggested",
                                    "match_id": match_id}, follow=True)
    assert response.redirect_chain[-1][0] == f"{url}?flow=payout-bank&tab=suggested"
    assert Decision.objects.get().kind == "confirm"
    left, right = a_pair(run)
    response = client.post(decide, {"action": "manual_match", "flow": "orders-settlement", "record": [
        f"{r['side']}|{r['file']}|{r['record_id']}" for r in (left, right)]}, follow=True)
    assert "¥0.00" in response.content.decode()  # the difference, shown with the message
    assert Decision.objects.filter(kind="manual_match").exists()

    client.post(reverse("lock_period", args=[shop.company.pk, run.pk]))
    page = client.get(f"{url}?flow=payout-bank&tab=confirmed").content.decode()
    assert "已锁定" in page
    assert 'name="action"' not in page
    assert "Undo" not in page
    unmatch = {"action": "unmatch", "flow": "payout-bank", "match_id": match_id}
    response = client.post(decide, unmatch, follow=True)
    assert "此期间已锁定" in response.content.decode()
    assert Decision.objects.count() == 2


def test_a_records_original_row_reads_as_header_and_value(shop, suggesting_month, client) -> None:
    from django.urls import reverse

    run = reconcile_month(shop, suggesting_month)
    order = tab(run, "orders-settlement", "auto")[0]
    client.force_login(shop.user)
    where = {"flow": "orders-settlement", "file": order["file"], "line": order["line"]}
    page = client.get(reverse("raw_line", args=[shop.company.pk, run.pk]), where).content.decode()
    assert 'class="compact raw-cells"' in page
    assert "订单编号" in page
    assert f"<td class=\"mono\">{order['record_id']}</td>" in page


def test_an_admin_sets_the_write_off_limit_on_the_setup_page(shop, suggesting_month) -> None:
    from django.test import Client
    from django.urls import reverse

    run = reconcile_month(shop, suggesting_month)
    admin = member(shop, "ada", "admin")
    url = reverse("set_write_off_limit", args=[shop.company.pk])
    client = Client()
    client.force_login(shop.user)  # an accountant may write off, not set the limit
    assert client.post(url, {"limit": "100.00"}).status_code == 404
    client.force_login(admin)
    page = client.get(reverse("setup", args=[shop.company.pk])).content.decode()
    assert 'value="10.00"' in page  # the default shown until an admin sets one
    bad = client.post(url, {"limit": "ten"})
    assert bad.status_code == 400
    assert "10.00" in bad.content.decode()
    assert client.post(url, {"limit": "0.00"}).status_code == 302
    assert WriteOffLimit.objects.get(company=shop.company).limit_minor == 0
    assert AuditLog.objects.filter(company=shop.company, action="write_off_limit.set").count() == 1

    rounding = tab(run, "orders-settlement", "differences")[0]
    group = decisions.group(run, "orders-settlement", rounding["match_id"])
    with pytest.raises(decisions.DecisionRefused):  # 1 fen is above a limit of 0.00
        decisions.write_off(shop.user, run, "orders-settlement", group, "rounding")
    assert client.post(url, {"limit": "0.01"}).status_code == 302
    assert decisions.write_off(shop.user, run, "orders-settlement", group, "rounding").decision.amount_minor
