"""What a template runs: each rule's SQL in DuckDB's dialect and in Spark's, for ``--explain``.

A user who wonders why a record matched (or did not) can read the exact conditions a rule
tests; the same statements are snapshot-tested so that a change to the SQL generator shows up
as a reviewed diff. The statements are the ones the reconciler runs, with readable table names
in place of its numbered working tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from huikuan.engine import sql
from huikuan.engine.backends.spark import to_spark_sql
from huikuan.engine.rules import Template

#: Names the explained statements use for the reconciler's working tables.
INPUT = "input_entries"     # both sides' entries, the working columns only
WORK = "work"               # the same with in_scope computed
OPEN = "open_records"       # in-scope records no earlier rule claimed
MEMBERS = "rule_members"    # (uid, grp) of the groups the rule matched
UNCLAIMED = "unclaimed"     # records no rule claimed, in or out of scope


@dataclass(frozen=True)
class Step:
    """One step of a run: the scope, a rule, or the reasons for what is left."""

    name: str
    title: str                    # e.g. ``rule 2 of 5: key, auto``
    description: str
    statements: tuple[str, ...]   # DuckDB's dialect, as generated

    def spark(self) -> tuple[str, ...]:
        """The statements as the Spark backend runs them (transpiled by SQLGlot)."""
        return tuple(to_spark_sql(s) for s in self.statements)


def explain_template(template: Template) -> list[Step]:
    """The scope, then every rule in the order it runs, then the unmatched reasons."""
    steps = [Step("scope", "what each side brings to the rules", "",
                  (sql.scope_select(template, INPUT).strip(),))]
    for number, rule in enumerate(template.rules, start=1):
        if rule.type == "key":
            match = sql.key_rule(rule, OPEN)
        elif rule.type == "window":
            match = sql.window_candidates(rule, OPEN)
        else:
            match = sql.subset_candidates(rule, OPEN)
        differences = sql.group_sums(rule, MEMBERS, WORK)
        steps.append(Step(
            rule.name, f"rule {number} of {len(template.rules)}: {rule.type}, {rule.tier}",
            rule.description, tuple(s.strip() for s in (match, differences) if s)))
    steps.append(Step("reasons", "why each record no rule claimed is left", "",
                      (sql.unmatched_reasons(template, UNCLAIMED, WORK).strip(),)))
    return steps
