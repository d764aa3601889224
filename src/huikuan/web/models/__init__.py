"""The database's share of the data (DESIGN.md "Storage"): who may see what, what was imported
and what was run. Entries and results stay in Parquet files on disk; rows here point at them."""

from huikuan.web.models.audit import AuditLog
from huikuan.web.models.chase import CHASE_STATUSES, ChaseNote
from huikuan.web.models.company import ROLES, BankAccount, Company, Contract, Membership, Store
from huikuan.web.models.decisions import Decision, Period, WriteOffLimit
from huikuan.web.models.imports import Import, StagedUpload
from huikuan.web.models.reports import SavedReport
from huikuan.web.models.runs import Job, Run

__all__ = ["CHASE_STATUSES", "ROLES", "AuditLog", "BankAccount", "ChaseNote", "Company", "Contract",
           "Decision", "Import", "Job", "Membership", "Period", "Run", "SavedReport", "StagedUpload",
           "Store", "WriteOffLimit"]
