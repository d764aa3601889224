"""An accepted file: the original is kept by content hash, its canonical entries as Parquet."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from huikuan.web.models.company import BankAccount, Company, Store


class Import(models.Model):
    """One accepted upload. The row is written last, after both files are in place, so a row
    always points at complete files. The same content twice in one company is refused by the
    unique constraint; overlapping rows are counted as ``duplicates`` against earlier imports."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="imports")
    #: the store (orders, platform bills) or bank account (statements) the file belongs to
    store = models.ForeignKey(Store, null=True, blank=True, on_delete=models.PROTECT, related_name="imports")
    bank_account = models.ForeignKey(BankAccount, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="imports")
    content_hash = models.CharField(max_length=64)
    file_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    format_id = models.CharField(max_length=80)
    format_title = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=40, blank=True)
    encoding = models.CharField(max_length=40, blank=True)
    period_start = models.DateTimeField(null=True)
    period_end = models.DateTimeField(null=True)
    rows_read = models.PositiveIntegerField(default=0)
    entries = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    #: per kind and currency: [{"kind", "currency", "count", "amount_minor"}] (integers, never floats)
    totals = models.JSONField(default=list)
    checks = models.JSONField(default=list)
    warnings = models.JSONField(default=list)
    row_errors = models.JSONField(default=list)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "content_hash"],
                                               name="one_import_per_content")]
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return self.file_name


class StagedUpload(models.Model):
    """A file uploaded and not yet accepted or discarded. Its bytes sit under
    ``staging/<token>/`` (``storage.staged_upload_dir``): the token is generated, so two uploads
    of the same name never share a file and the name the user gave is only ever data, here.
    A file above ``HUIKUAN_PREVIEW_IN_WORKER_BYTES`` is previewed by a job: ``progress`` moves
    while it is read and ``description`` holds the preview when it is done."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="staged_uploads")
    token = models.CharField(max_length=32, unique=True)
    #: the file's name as the user's computer gave it (cleaned of path parts and control characters)
    file_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    content_hash = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(auto_now_add=True)
    #: "ready" (preview can be made now), "reading" (a job reads it), "done" (description holds it)
    status = models.CharField(max_length=20, default="ready")
    progress = models.PositiveSmallIntegerField(default=0)
    description = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return self.file_name
