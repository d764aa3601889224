"""Score a reconciliation against the generator's answer key (truth.csv)."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from huikuan.engine import MatchResult
from huikuan.importers.registry import SideImport

#: reason codes the generator and the engine name differently but mean the same
SAME_REASON = {("out_of_scope", "transfer")}

Key = tuple[str, str, str]  # side, file, record_id


@dataclass
class Score:
    """Pairs are (left record, right record) within one match or one truth group."""

    auto_pairs: int
    correct_pairs: int                 # auto pairs the truth puts in one group
    truth_pairs: int
    reasons: Counter[tuple[str, str]]  # (truth, engine) for every record the truth leaves unmatched
    missed: list[Key]                  # records the truth matches and the engine left unmatched
    suggested_pairs: int = 0
    correct_suggested: int = 0         # suggested pairs the truth puts in one group
    wrong: list[tuple[Key, Key]] = field(default_factory=list)  # auto pairs the truth splits

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.auto_pairs if self.auto_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.truth_pairs if self.truth_pairs else 1.0

    @property
    def any_recall(self) -> float:
        """Recall of auto and suggested matches together: what a clerk sees paired at all."""
        found = self.correct_pairs + self.correct_suggested
        return found / self.truth_pairs if self.truth_pairs else 1.0

    @property
    def reason_agreement(self) -> float:
        total = sum(self.reasons.values())
        same = sum(n for (t, e), n in self.reasons.items() if _same(t, e))
        return same / total if total else 1.0

    def agreement_by_reason(self) -> dict[str, float]:
        """For each reason the truth gives, the share of its records the engine gave it too."""
        totals: Counter[str] = Counter()
        same: Counter[str] = Counter()
        for (t, e), n in self.reasons.items():
            totals[t] += n
            same[t] += n if _same(t, e) else 0
        return {t: same[t] / n for t, n in totals.items()}


def _same(truth: str, engine: str) -> bool:
    return truth == engine or (truth, engine) in SAME_REASON


def read_truth(path: Path, flow: str) -> dict[Key, tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {(r["side"], r["file"], r["record_id"]): (r["group"], r["expected"])
                for r in csv.DictReader(fh) if r["flow"] == flow}


def score(result: MatchResult, left: SideImport, right: SideImport, truth: dict[Key, tuple[str, str]]
          ) -> Score:
    ids = {side: list(zip(t.entries["file"].to_pylist(), t.entries["record_id"].to_pylist(), strict=True))
           for side, t in (("left", left), ("right", right))}

    def key(side: str, row: int) -> Key:
        return (side, *ids[side][row])

    members: dict[int, list[tuple[str, Key]]] = defaultdict(list)
    status: dict[int, str] = {}
    for m in result.matches.to_pylist():
        members[m["match_id"]].append((m["side"], key(m["side"], m["row"])))
        status[m["match_id"]] = m["status"]
    auto = correct = suggested = correct_suggested = 0
    wrong: list[tuple[Key, Key]] = []
    for match_id, rows in members.items():
        lefts = [k for s, k in rows if s == "left"]
        rights = [k for s, k in rows if s == "right"]
        for a in lefts:
            for b in rights:
                right = bool(truth[a][0]) and truth[a][0] == truth[b][0]
                if status[match_id] == "auto":
                    auto += 1
                    correct += right
                    if not right:
                        wrong.append((a, b))
                else:
                    suggested += 1
                    correct_suggested += right
    sizes: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for k, (group, _) in truth.items():
        if group:
            sizes[group][k[0] == "right"] += 1
    reasons: Counter[tuple[str, str]] = Counter()
    for u in result.unmatched.to_pylist():
        k = key(u["side"], u["row"])
        reasons[(truth[k][1], u["reason"])] += 1
    matched = {k for rows in members.values() for _, k in rows}
    unmatched = {key(u["side"], u["row"]) for u in result.unmatched.to_pylist()}
    missed = [k for k, (g, e) in truth.items() if e == "match" and k not in matched and k in unmatched]
    return Score(auto, correct, sum(a * b for a, b in sizes.values()), reasons, missed,
                 suggested, correct_suggested, wrong)
