"""Chasing (催收) an overdue order: the status a person sets and their note.

Keyed by (store, order number), not by run: a re-run of the month writes new result folders, and
the note that the buyer's platform promised to pay on Friday must still be there. Each change is
also written to the AuditLog, so the row holds the latest state and the log the history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huikuan.web.models.company import Company, Store

CHASE_STATUSES = (("chased", _("chased")), ("promised", _("promised")), ("escalated", _("escalated")))
#: how the status reads in an exported list (the reports are Chinese, like their other columns)
CHASE_STATUS_ZH = {"chased": "已催收", "promised": "已承诺付款", "escalated": "已升级"}


class ChaseNote(models.Model):
    """The latest chase status and note of one order of one store, and who set it when."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="chase_notes")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="chase_notes")
    order_ref = models.CharField(_("order number"), max_length=100)
    status = models.CharField(_("chase status"), max_length=20, choices=CHASE_STATUSES)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["store", "order_ref"],
                                               name="one_chase_note_per_order")]
