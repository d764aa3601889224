"""Periods and their locks: a locked period refuses every decision and every new run until an
admin unlocks it. Locking and unlocking are both written to the audit log.

Everything that changes a store's period — a decision, an undo, a lock, an unlock, a re-run taking
over the decisions — first takes the period's row lock (``hold_period``), in the transaction that
makes the change, and only then reads what it decides on. So they happen one after another on
PostgreSQL as on SQLite (whose IMMEDIATE transactions already run one at a time): the second of
two clerks sees what the first did, and a lock waits for the decisions in flight."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huikuan.web import selectors
from huikuan.web.models import AuditLog, Period, Run


class PeriodLocked(Exception):
    """An action on a locked period; the message says so, once, for every action."""


class NotAllowed(Exception):
    """The user's role does not allow the action."""


def require(user: Any, run: Run, action: str) -> None:
    """Refuse unless ``user``'s role in the run's company allows ``action``."""
    if not selectors.may(user, run.company, action):
        raise NotAllowed(_("Your role does not allow this."))


def period_of(run: Run) -> Period:
    """The store's period the run covers, made on first use (by whichever of two requests at
    once gets there first: the other finds it)."""
    span = {"company": run.company, "store": run.store, "start": run.period_start, "end": run.period_end}
    found = Period.objects.filter(**span).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():  # a savepoint: the transaction goes on after a lost race
            return Period.objects.create(**span)
    except IntegrityError:
        return Period.objects.get(**span)


def hold_period(run: Run) -> Period:
    """The run's period, row-locked until the caller's transaction ends: call it first in every
    transaction that changes the period's decisions or lock, before reading them. (Make the
    period with ``period_of`` before the transaction: a row not yet committed is one a lock of an
    overlapping period cannot see, and so would not wait for.)"""
    if transaction.get_autocommit():
        raise transaction.TransactionManagementError("hold_period outside a transaction holds nothing")
    return Period.objects.select_for_update().get(pk=period_of(run).pk)


def locked_period(company: Any, store: Any, start: Any, end: Any) -> Period | None:
    """A locked period of ``store`` overlapping [start, end], if any."""
    return Period.objects.filter(company=company, store=store, start__lte=end, end__gte=start,
                                 locked_at__isnull=False).first()


def refuse_if_locked(run: Run) -> None:
    if locked_period(run.company, run.store, run.period_start, run.period_end) is not None:
        raise PeriodLocked(_("This period is locked. An admin must unlock it before anything changes."))


def audit(subject: Run, user: Any, action: str, target: str, **details: Any) -> None:
    """An AuditLog row in the company of the run ``subject``."""
    who = user if getattr(user, "is_authenticated", False) else None
    AuditLog.objects.create(company=subject.company, user=who, action=action, target=target, details=details)


@transaction.atomic
def lock_period(user: Any, run: Run) -> Period:
    """Close the run's period: from now on decisions and runs over it are refused."""
    require(user, run, "lock")
    period_of(run)
    # this period and every overlapping one of the store (a lock refuses their decisions too),
    # row-locked in one order: the decisions in flight on any of them finish first
    held = Period.objects.select_for_update().filter(store=run.store, start__lte=run.period_end,
                                                     end__gte=run.period_start).order_by("pk")
    period = next(p for p in list(held) if (p.start, p.end) == (run.period_start, run.period_end))
    if period.locked_at is None:
        period.locked_at, period.locked_by = timezone.now(), user
        period.save(update_fields=["locked_at", "locked_by"])
        audit(run, user, "period.lock", f"period:{period.pk}", run=run.pk, start=str(period.start),
              end=str(period.end))
    return period


@transaction.atomic
def unlock_period(user: Any, run: Run) -> Period:
    """Open the run's period again (admins only; the lock and the unlock both stay in the log)."""
    require(user, run, "unlock")
    period = hold_period(run)
    if period.locked_at is not None:
        audit(run, user, "period.unlock", f"period:{period.pk}", run=run.pk,
              locked_at=period.locked_at.isoformat(), locked_by=period.locked_by_id)
        period.locked_at, period.locked_by = None, None
        period.save(update_fields=["locked_at", "locked_by"])
    return period
