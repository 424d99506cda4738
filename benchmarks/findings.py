"""Findings figures (issue 13): a 2,000-question audit with an SFI and an action on every item.

* **report with findings** — building the report (executive summary, findings under their
  questions, action plan) of the 2,000-question × 30-subject audit with 2,000 findings and
  2,000 actions, against the same audit with none, in the same run. Target: at most 1.5x.
* **action plan** — ``action_plan`` + ``sfi_missing`` on that audit (what ``auditkit actions``
  and the check call), against reading the answers alone.
* **finding key** — what the runner does on every question shown: the item of the question,
  its SFI and last audit's action (``follow_up``'s engine half), per question, for all 2,000.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from auditkit.audit import Audit
from auditkit.export.report import build
from auditkit.rules.actions import action_plan
from auditkit.rules.findings import item_of, scored_items, sfi_missing
from benchmarks import Row, median_time, row, synthetic

REPEAT = 3


def _with_findings(path: Path) -> None:
    with Audit.open(path, write=True) as audit:
        store = audit.store
        for n, item in enumerate(scored_items(audit.protocol)):
            store.set_finding(
                item.id,
                {
                    "note": f"Records sampled for {item.id}; two of ten incomplete.",
                    "sfi": f"Complete the {item.id} records for every crew each month.",
                    "priority": ("high", "medium", "low")[n % 3],
                    "key": int(n < 2),
                },
            )
            store.set_action(item.id, {"item_id": item.id, "owner": "Safety coordinator"})


def run() -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plain = synthetic.large_audit(folder / "plain.audit")
        full = folder / "findings.audit"
        shutil.copy(plain, full)
        _with_findings(full)
        with Audit.open(plain) as bare, Audit.open(full) as audit:
            baseline = median_time(lambda: build(bare), REPEAT)
            report = median_time(lambda: build(audit), REPEAT)
            answers = median_time(audit.answers, REPEAT)
            plan = median_time(lambda: (action_plan(audit), sfi_missing(audit)), REPEAT)
            questions = [q.id for q in audit.protocol.questions]
            start = time.perf_counter()
            for question_id in questions:
                item_of(audit.protocol, question_id)
            per_question = (time.perf_counter() - start) / len(questions)
            start = time.perf_counter()
            for question_id in questions:
                audit.protocol.question(question_id)
            lookup = (time.perf_counter() - start) / len(questions)
    return [
        row(
            "report with 2,000 findings and actions vs none (2,000 questions x 30 subjects)",
            report,
            baseline,
            "<= 1.5x",
        ),
        row("action plan + sfi_missing, 2,000 SFIs (vs reading the answers)", plan, answers, ""),
        row(
            "runner: a question's item (SFI and follow-up lookup), per question "
            "(vs the question lookup)",
            per_question * 1000,
            lookup * 1000,
            "< 1 ms",
            unit="ms",
        ),
    ]


if __name__ == "__main__":
    for result in run():
        print(
            f"{result['name']}: {result['value']:.3f} {result['unit']} (baseline "
            f"{result['baseline']:.3f} {result['unit']}, {result['ratio']:.2f}x, target "
            f"{result['target'] or '-'})"
        )
