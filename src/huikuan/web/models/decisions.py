"""What clerks decide after a run, and which periods are closed to further decisions.

A decision names records by (import content hash, record_id, side), never by match id, so it
can be carried to a later run of the same store and period (``services.decisions.carry_over``).
Nothing here is ever deleted: an undo is a new state of the row (``undone``/``undone_by``), and
a decision that no longer applies on a later run is kept there with ``stale_reason``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huikuan.web.models.company import Company, Store
from huikuan.web.models.runs import Run

DECISION_KINDS = (("confirm", _("confirm")), ("reject", _("reject")), ("manual_match", _("manual match")),
                  ("unmatch", _("unmatch")), ("write_off", _("write off")), ("note", _("note")))

#: the write-off limit when a company has set none: ¥10.00, enough for rounding and fee
#: differences, far below anything that should be looked at by a second person
DEFAULT_WRITE_OFF_LIMIT_MINOR = 1000


class Period(models.Model):
    """A store's accounting period. Locked (``locked_at`` set), it refuses every decision until
    an admin unlocks it; both are logged in AuditLog."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="periods")
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="periods")
    start = models.DateField()
    end = models.DateField()
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    locked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["store", "start", "end"],
                                               name="one_period_per_store_span")]
        ordering = ["-start", "id"]

    @property
    def locked(self) -> bool:
        return self.locked_at is not None


class Decision(models.Model):
    """One action on one run's records. Active while neither undone nor stale."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="decisions")
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="decisions")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="decisions")
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="decisions")
    flow = models.CharField(max_length=40)
    kind = models.CharField(max_length=20, choices=DECISION_KINDS)
    #: [{"hash", "record_id", "side"}]
    records = models.JSONField(default=list)
    #: the written-off amount (write-offs), minor units
    amount_minor = models.BigIntegerField(default=0)
    #: what the clerk saw when deciding: {"left", "right", "difference"} in minor units
    amounts = models.JSONField(default=dict)
    currency = models.CharField(max_length=3, default="CNY")
    reason = models.CharField(max_length=40, blank=True)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    undone = models.DateTimeField(null=True, blank=True)
    #: the decision as first made, on an earlier run, that this one was carried from
    carried_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="carried_to")
    #: why a carried decision no longer applies on this run ("" while it does)
    stale_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created", "id"]

    @property
    def active(self) -> bool:
        return self.undone is None and not self.stale_reason


class WriteOffLimit(models.Model):
    """The largest difference a clerk may write off in one decision, set per company by an
    admin; without a row the limit is :data:`DEFAULT_WRITE_OFF_LIMIT_MINOR`."""

    company = models.OneToOneField(Company, on_delete=models.CASCADE, related_name="write_off_limit")
    limit_minor = models.BigIntegerField(default=DEFAULT_WRITE_OFF_LIMIT_MINOR)
