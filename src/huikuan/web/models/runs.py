"""Reconciliation runs and the database-backed job queue that executes them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huikuan.web.models.company import BankAccount, Company, Store

RUN_STATUSES = (("queued", _("queued")), ("running", _("running")), ("done", _("done")),
                ("failed", _("failed")), ("cancelled", _("cancelled")))
#: a run in one of these has ended: nothing more happens to it
RUN_ENDED = ("done", "failed", "cancelled")


class Run(models.Model):
    """A reconciliation of one store and bank account over a period: orders ↔ settlement and
    payouts ↔ bank. Its results are folders under the company's data dir, one per flow."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="runs")
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="runs")
    bank_account = models.ForeignKey(BankAccount, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="runs")
    period_start = models.DateField()
    period_end = models.DateField()
    #: {"orders": [hash…], "settlement": [hash…], "bank": [hash…]}: what the run read
    input_hashes = models.JSONField(default=dict)
    #: {flow: {"template": name, "hash": sha256 of its rules}}
    templates = models.JSONField(default=dict)
    engine_version = models.CharField(max_length=40, blank=True)
    backend = models.CharField(max_length=20, default="duckdb")
    status = models.CharField(max_length=20, choices=RUN_STATUSES, default="queued")
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    timings = models.JSONField(default=dict)
    #: relative to the company's data dir
    result_path = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True)
    finished = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-created", "-id"]

    #: the order a run does its flows in (PostgreSQL's jsonb keeps no key order, so never rely on it)
    FLOW_ORDER = ("orders-settlement", "payout-bank")

    @property
    def ended(self) -> bool:
        """Done, failed or cancelled: nothing more happens to the run."""
        return self.status in RUN_ENDED

    @property
    def flows(self) -> list[str]:
        """The flows of this run, in the order they run and are shown."""
        return sorted(self.templates, key=lambda f: (*self.FLOW_ORDER, f).index(f))


class Job(models.Model):
    """One unit of background work. A worker claims a queued job (or a running one whose lease
    ran out: its worker died) by moving it to ``running`` with a new lease in a single
    conditional UPDATE, so two workers never take the same job; no extra server is needed.
    Status: queued, running, done, failed, cancelled."""

    kind = models.CharField(max_length=40)
    args = models.JSONField(default=dict)
    status = models.CharField(max_length=20, default="queued", db_index=True)
    error = models.TextField(blank=True)
    #: while running: the worker holding it renews this; past it, the job is up for the taking
    lease_until = models.DateTimeField(null=True)
    #: how many times a worker took it (a retry after a dead worker counts)
    attempts = models.PositiveSmallIntegerField(default=0)
    #: host:pid of the worker that took it last, for the administrator
    worker = models.CharField(max_length=100, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True)
    finished = models.DateTimeField(null=True)

    class Meta:
        ordering = ["id"]
