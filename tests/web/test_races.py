"""Clerks acting at the same instant, on SQLite and on PostgreSQL: real threads, each with its own
database connection, released together by a barrier. Exactly one of two conflicting decisions
takes effect and the other is told why; a lock waits for the decisions in flight; a re-run that is
still running neither blocks the finished run nor loses what is decided on it meanwhile.

Each race is run several rounds: one round may happen to serialise by chance, several do not."""

from __future__ import annotations

import datetime as dt
import functools
import re
import threading
import time
from collections.abc import Callable
from typing import Any

import duckdb
import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.utils import translation

from huikuan.results.decisions import DecisionKind
from huikuan.web.jobs import work_once
from huikuan.web.models import AuditLog, Decision, Run
from huikuan.web.services import decisions, periods, runs
from tests.web.conftest import Shop
from tests.web.helpers import reconcile_month
from tests.web.test_decisions import english, keys, member, suggesting_month, tab

pytestmark = [pytest.mark.web, pytest.mark.django_db(transaction=True)]
__all__ = ["english", "suggesting_month"]  # fixtures shared with test_decisions

ROUNDS = 6
ORDERS = "orders-settlement"
SOMEONE_ELSE = "Someone else just changed these records"


def at_once(*actions: Callable[[], Any]) -> list[Any]:
    """Run each action in its own thread, all released at the same instant; what each returned,
    or the exception it raised."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[Any] = [None] * len(actions)

    def act(number: int, action: Callable[[], Any]) -> None:
        try:
            with translation.override("en"):
                barrier.wait(timeout=30)
                outcomes[number] = action()
        except Exception as exc:  # the outcome under test: kept, compared below
            outcomes[number] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(n, a)) for n, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def made(outcomes: list[Any]) -> list[decisions.Outcome]:
    return [o for o in outcomes if isinstance(o, decisions.Outcome)]


def refusals(outcomes: list[Any]) -> list[str]:
    """The messages of the refused; anything else that went wrong fails the test here."""
    unexpected = [o for o in outcomes if isinstance(o, Exception)
                  and not isinstance(o, decisions.DecisionRefused | periods.PeriodLocked)]
    assert unexpected == []
    return [str(o) for o in outcomes if isinstance(o, Exception)]


def assert_only_effective_decisions_stand(shop: Shop, run: Run) -> None:
    """Every active decision still applies when replayed, the audit log names each decision made
    once and nothing else, and the newest decision can be undone."""
    for flow in run.flows:
        with duckdb.connect() as con:
            assert decisions.effective(run, flow, con).refused == []
    logged = list(AuditLog.objects.filter(company=shop.company, action__startswith="decision.")
                  .exclude(action__in=["decision.undo", "decision.carry_over"])
                  .values_list("target", flat=True))
    assert sorted(logged) == sorted(f"decision:{pk}" for pk in run.decisions.values_list("pk", flat=True))
    newest = run.decisions.filter(undone__isnull=True, stale_reason="").latest("created", "id")
    decisions.undo(shop.user, run, newest.pk)


@pytest.fixture
def clerks(shop: Shop) -> tuple[User, User]:
    """Two accountants of the same company."""
    return shop.user, member(shop, "carol", "accountant")


def both(clerks: tuple[User, User], action: Callable[[User], Any]) -> list[Any]:
    """The same action by both clerks at the same instant."""
    return at_once(*(functools.partial(action, user) for user in clerks))


def matches(run: Run, count: int) -> list[str]:
    """The first ``count`` automatic matches of the orders."""
    return list(dict.fromkeys(r["match_id"] for r in tab(run, ORDERS, "auto")))[:count]


def test_two_clerks_unmatching_the_same_match_at_once_unmatch_it_once(shop, clerks, suggesting_month) -> None:
    run = reconcile_month(shop, suggesting_month)
    for _round in range(ROUNDS):
        (match_id,) = matches(run, 1)
        outcomes = both(clerks, lambda user, m=match_id: decisions.unmatch(user, run, ORDERS, m))
        assert len(made(outcomes)) == 1, outcomes
        (refused,) = refusals(outcomes)
        # refused after the other clerk's decision, or not found any more when the page's match
        # id was looked up
        assert SOMEONE_ELSE in refused or "That match no longer exists" in refused
    assert run.decisions.count() == ROUNDS
    assert_only_effective_decisions_stand(shop, run)


def test_unmatching_a_match_someone_unmatched_after_it_was_looked_up_is_refused(shop, clerks,
                                                                                suggesting_month) -> None:
    run = reconcile_month(shop, suggesting_month)
    (match_id,) = matches(run, 1)
    records = decisions.group(run, ORDERS, match_id)  # the page's match id → its records, as the view does
    decisions.unmatch(clerks[1], run, ORDERS, match_id)
    with pytest.raises(decisions.DecisionRefused, match="no longer one match"):
        decisions.decide(clerks[0], run, ORDERS, DecisionKind.UNMATCH, records)
    assert run.decisions.count() == 1


def test_two_clerks_matching_the_same_records_by_hand_at_once_match_them_once(shop, clerks,
                                                                              suggesting_month) -> None:
    run = reconcile_month(shop, suggesting_month)
    for match_id in matches(run, ROUNDS):
        decisions.unmatch(shop.user, run, ORDERS, match_id)  # records to match by hand
    lefts, rights = tab(run, ORDERS, "unmatched_left"), tab(run, ORDERS, "unmatched_right")
    for left, right in zip(lefts[:ROUNDS], rights[:ROUNDS], strict=True):
        pair = decisions.refs(run, keys([left, right]))
        outcomes = both(clerks, lambda user, p=pair: decisions.manual_match(user, run, ORDERS, p))
        assert len(made(outcomes)) == 1, outcomes
        (refused,) = refusals(outcomes)
        assert SOMEONE_ELSE in refused or "already matched" in refused
    assert run.decisions.count() == 2 * ROUNDS
    assert_only_effective_decisions_stand(shop, run)


def test_two_clerks_deciding_on_different_records_at_once_both_succeed(shop, clerks,
                                                                       suggesting_month) -> None:
    run = reconcile_month(shop, suggesting_month)
    for _round in range(ROUNDS):
        outcomes = at_once(*(functools.partial(decisions.unmatch, user, run, ORDERS, match_id)
                             for user, match_id in zip(clerks, matches(run, 2), strict=True)))
        assert len(made(outcomes)) == 2, outcomes
    assert run.decisions.count() == 2 * ROUNDS
    assert_only_effective_decisions_stand(shop, run)


def test_two_clerks_undoing_the_same_decision_at_once_undo_it_once(shop, clerks, suggesting_month) -> None:
    run = reconcile_month(shop, suggesting_month)
    for match_id in matches(run, ROUNDS):
        decision = decisions.unmatch(shop.user, run, ORDERS, match_id).decision
        outcomes = both(clerks, lambda user, pk=decision.pk: decisions.undo(user, run, pk))
        assert sum(isinstance(o, Decision) for o in outcomes) == 1, outcomes
        (refused,) = refusals(outcomes)
        assert SOMEONE_ELSE in refused or "That decision is not active" in refused
    assert AuditLog.objects.filter(company=shop.company, action="decision.undo").count() == ROUNDS
    assert not run.decisions.filter(undone__isnull=True).exists()


@pytest.mark.parametrize("locking", ["the same run", "a run over overlapping dates"])
def test_a_lock_waits_for_the_decisions_in_flight_and_refuses_the_rest(shop, clerks, suggesting_month,
                                                                       locking) -> None:
    run = reconcile_month(shop, suggesting_month)
    admin = User.objects.get(username="alice-admin")
    locked = run
    if locking != "the same run":  # a lock covers every run of the store it overlaps
        locked = runs.start_run(shop.company, shop.store, shop.bank, dt.date(2023, 11, 15),
                                dt.date(2023, 12, 15), user=shop.user)
        assert work_once()
    lefts = tab(run, ORDERS, "unmatched_left")
    for number in range(3):
        notes = [functools.partial(decisions.add_note, clerks[n % 2], run, ORDERS,
                                   decisions.refs(run, keys([record])), "已核对")
                 for n, record in enumerate(lefts[number * 6:][:6])]

        def lock(pause: float = 0.04 * number) -> Any:
            time.sleep(pause)  # from the first instant to well into the decisions' work
            return periods.lock_period(admin, locked)

        outcomes = at_once(*notes, lock)
        period = outcomes[-1]
        assert period.locked_at is not None, period
        # a decision either was made before the lock or was refused because of it
        late = run.decisions.filter(created__gt=period.locked_at)
        assert list(late.values_list("pk", "created")) == [], period.locked_at
        assert all("This period is locked" in why for why in refusals(outcomes[:-1]))
        assert len(made(outcomes)) + len(refusals(outcomes[:-1])) == len(notes)
        periods.unlock_period(admin, locked)
    assert run.decisions.exists()
    assert_only_effective_decisions_stand(shop, run)


def test_a_rerun_in_progress_neither_blocks_the_finished_run_nor_loses_its_decisions(shop,
                                                                                    suggesting_month) -> None:
    first = reconcile_month(shop, suggesting_month)
    second = runs.start_run(shop.company, shop.store, shop.bank, first.period_start, first.period_end,
                            user=shop.user)
    lefts = [decisions.refs(first, keys([r])) for r in tab(first, ORDERS, "unmatched_left")]
    # queued: the finished run is still the one to act on
    noted = [decisions.add_note(shop.user, first, ORDERS, lefts[0], "排队中").decision]
    refused: list[str] = []

    def clerk() -> None:
        """Notes on the first run, one after another, until the re-run has finished."""
        for number in range(10_000):
            finished = Run.objects.get(pk=second.pk).status == "done"
            try:
                noted.append(decisions.add_note(shop.user, first, ORDERS, lefts[number % len(lefts)],
                                                f"note {number}").decision)
            except decisions.DecisionRefused as exc:
                refused.append(str(exc))
            if finished:
                return
            time.sleep(0.1)  # a clerk's pace, leaving the worker time to run

    at_once(clerk, work_once)
    second.refresh_from_db()
    assert second.status == "done", second.error
    assert len(noted) > 2, noted  # some were made while the re-run ran
    assert refused
    assert all("A newer run of this period exists" in why for why in refused)
    # every note made on the first run reached the second
    carried = set(second.decisions.values_list("carried_from_id", flat=True))
    assert {d.pk for d in noted} <= carried
    assert second.decisions.filter(stale_reason="").count() == len(noted)


def test_a_rerun_finishing_after_the_period_was_locked_changes_nothing(shop, suggesting_month) -> None:
    first = reconcile_month(shop, suggesting_month)
    lefts = tab(first, ORDERS, "unmatched_left")
    decisions.add_note(shop.user, first, ORDERS, decisions.refs(first, keys(lefts[:1])), "已核对")
    second = runs.start_run(shop.company, shop.store, shop.bank, first.period_start, first.period_end,
                            user=shop.user)
    locked_at = periods.lock_period(shop.user, first).locked_at
    work_once()
    second.refresh_from_db()
    assert second.status == "failed"
    assert "This period is locked" in second.error
    assert not Decision.objects.filter(created__gt=locked_at).exists()
    # the locked period still reads as it was locked: the first run, with its decision
    assert Run.objects.filter(status="done").get() == first
    assert first.decisions.count() == 1

def test_the_clerk_who_lost_a_race_is_told_someone_else_changed_the_records(shop, clerks,
                                                                            suggesting_month) -> None:
    from django.test import Client
    from django.urls import reverse

    run = reconcile_month(shop, suggesting_month)
    browsers = [Client() for _clerk in clerks]
    for browser, clerk in zip(browsers, clerks, strict=True):
        browser.force_login(clerk)
    page_url = reverse("run", args=[shop.company.pk, run.pk]) + f"?flow={ORDERS}&tab=auto"
    for _round in range(2):
        pages = [browser.get(page_url).content.decode() for browser in browsers]
        (match_id,) = matches(run, 1)
        assert all(f'value="{match_id}"' in page for page in pages)
        forms = [{"action": "unmatch", "flow": ORDERS, "tab": "auto", "match_id": match_id,
                  "seen": re.search(r'name="seen" value="([^"]+)"', page)[1]} for page in pages]  # type: ignore[index]
        shown = at_once(*(functools.partial(browser.post, reverse("decide", args=[shop.company.pk, run.pk]),
                                            form, follow=True)
                          for browser, form in zip(browsers, forms, strict=True)))
        texts = sorted(response.content.decode() for response in shown)
        assert sum("已取消匹配。" in text for text in texts) == 1  # "Unmatched."
        assert sum("其他人刚刚修改了这些记录，请刷新查看后重试。" in text for text in texts) == 1
    assert run.decisions.count() == 2
    assert_only_effective_decisions_stand(shop, run)
