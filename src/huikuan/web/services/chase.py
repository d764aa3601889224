"""Setting an overdue order's chase status (催收): the latest state on ``ChaseNote``, the history
in the AuditLog (one row per change, with the status and note before and after)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from huikuan.web.models import AuditLog, ChaseNote, Company, Store
from huikuan.web.models.chase import CHASE_STATUSES

STATUS_KEYS = tuple(key for key, _ in CHASE_STATUSES)
MAX_NOTE = 2000


class ChaseRefused(ValueError):
    """The change cannot be made as asked; the message says why."""


@transaction.atomic
def set_chase(company: Company, store: Store, order_ref: str, status: str, note: str = "", *,
              user: Any = None) -> ChaseNote:
    """Record that ``order_ref`` of ``store`` was chased / promised / escalated, with a note."""
    if store.company_id != company.pk:
        raise ChaseRefused(_("The store belongs to another company."))
    order_ref = order_ref.strip()
    if not order_ref or len(order_ref) > 100:
        raise ChaseRefused(_("Give the order number (at most 100 characters)."))
    if status not in STATUS_KEYS:
        raise ChaseRefused(_("Status %(status)s: give one of %(choices)s.")
                           % {"status": repr(status), "choices": ", ".join(STATUS_KEYS)})
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise ChaseRefused(_("The note is longer than %(limit)d characters.") % {"limit": MAX_NOTE})
    actor = user if getattr(user, "is_authenticated", False) else None
    existing = ChaseNote.objects.select_for_update().filter(store=store, order_ref=order_ref).first()
    before = {"status": existing.status, "note": existing.note} if existing else None
    if existing is None:
        chase = ChaseNote.objects.create(company=company, store=store, order_ref=order_ref, status=status,
                                         note=note, updated_by=actor)
    else:
        existing.status, existing.note, existing.updated_by = status, note, actor
        existing.save()
        chase = existing
    AuditLog.objects.create(company=company, user=actor, action="chase.set",
                            target=f"store:{store.pk}:order:{order_ref}",
                            details={"before": before, "status": status, "note": note})
    return chase
