"""Domain exceptions with messages a finance clerk can act on.

Every error that reaches a user names what went wrong and, where a file is involved, the file and
line, so that the clerk can open the export and look.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class HuikuanError(Exception):
    """Base class of every error huikuan raises on purpose."""


class MoneyError(HuikuanError, ValueError):
    """A text could not be read as an amount of money."""

    def __init__(self, text: str, problem: str) -> None:
        self.text = text
        self.problem = problem
        super().__init__(f"{text!r} is not an amount: {problem}")


class DateError(HuikuanError, ValueError):
    """A text could not be read as a date or time."""

    def __init__(self, text: str, problem: str = "unknown date format") -> None:
        self.text = text
        self.problem = problem
        super().__init__(f"{text!r} is not a date: {problem}")


class InputError(HuikuanError):
    """A file (or one place in it) cannot be used. The message names file and line."""

    def __init__(self, file: str, problem: str, line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.problem = problem
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {problem}")


class UnknownFormatError(InputError):
    """No importer recognises the file; the message lists the closest known formats."""

    def __init__(self, file: str, closest: list[tuple[str, str]], hint: str) -> None:
        self.closest = closest
        names = ", ".join(f"{fid} ({title})" for fid, title in closest) or "none"
        super().__init__(file, f"unknown layout; closest known formats: {names}. {hint}")


class RuleError(HuikuanError):
    """A rules file or template is not valid."""


class EntriesError(HuikuanError, ValueError):
    """A table handed to the engine lacks a column the template reads, or holds it in another type."""


class BackendError(HuikuanError):
    """A statement failed on DuckDB or Spark. ``sql`` is the statement as the backend ran it and
    ``rule`` the rule it belongs to (None outside a rule), so a failure can be traced and rerun."""

    def __init__(self, backend: str, sql: str, problem: str, rule: str | None = None) -> None:
        self.backend = backend
        self.sql = sql
        self.problem = problem
        self.rule = rule
        where = f'rule "{rule}" failed on {backend}' if rule else f"{backend} failed"
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class RowError:
    """One row that could not be read. Never dropped silently: listed in the summary."""

    file: str
    line: int
    reason: str
    raw: str = field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"

    def as_dict(self) -> dict[str, str | int]:
        return {"file": self.file, "line": self.line, "reason": self.reason, "raw": self.raw}
