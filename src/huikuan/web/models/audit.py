"""What people did, for the record: imports, runs, setup changes (decisions come next)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from huikuan.web.models.company import Company


class AuditLog(models.Model):
    """Append-only: who did what to which object of which company, and when."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="audit_log")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=60)
    target = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]
