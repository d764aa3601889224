"""A custom report a user saved by name: the definition only (dimensions, measures, filters as
the JSON ``reports.custom_spec`` reads), never its numbers, which are computed again on
whichever run it is opened with."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huikuan.web.models.company import Company


class SavedReport(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="saved_reports")
    name = models.CharField(_("name"), max_length=100)
    #: CustomSpec.to_json(), parsed back (and checked) by custom_spec.spec_from_json
    spec = models.JSONField(default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["company", "name"],
                                               name="saved_report_name_per_company")]

    def __str__(self) -> str:
        return self.name
