"""A child process that records answers through the engine and reports each one once saved.

Usage: ``python recorder.py FILE FIRST [COUNT] [--subjects A,B]``

Answer number *n* (from FIRST on) goes to slot ``n mod slots`` over every (question, subject)
pair of the audit — or only the listed subjects' pairs — with the note ``n<n>``. A line
``saved<TAB>n<TAB>question<TAB>subject<TAB>value`` is printed and flushed only after
``Audit.answer`` has returned, i.e. once the engine says the answer is durable. Without COUNT it
loops until killed. A refusal is printed the way the CLI prints it (``error: ...`` on stderr,
exit 1), so the parent can check that nothing but a one-line error ever comes out.
"""

from __future__ import annotations

import sys
from pathlib import Path

from auditkit.audit import Audit
from auditkit.errors import AuditkitError

VALUES = ("yes", "partial", "no")


def slots(audit: Audit, subjects: set[str] | None) -> list[tuple[str, str]]:
    """Every (question id, subject id) the audit can answer, "" for audit-level questions."""
    found = []
    for question in audit.protocol.questions:
        if not question.per_subject:
            if subjects is None:
                found.append((question.id, ""))
            continue
        for subject in audit.subjects(question.subject):
            if question.roles and subject.role not in question.roles:
                continue
            if subjects is None or subject.label in subjects:
                found.append((question.id, subject.id))
    return found


def record(path: Path, first: int, count: int | None, subjects: set[str] | None) -> None:
    with Audit.open(path, write=True) as audit:
        pairs = slots(audit, subjects)
        print("ready", flush=True)
        number = first
        while count is None or number < first + count:
            question_id, subject_id = pairs[number % len(pairs)]
            value = VALUES[number % len(VALUES)]
            audit.answer(question_id, value, subject=subject_id or None, note=f"n{number}")
            print(f"saved\t{number}\t{question_id}\t{subject_id}\t{value}", flush=True)
            number += 1


def main(argv: list[str]) -> int:
    subjects = None
    if "--subjects" in argv:
        at = argv.index("--subjects")
        subjects = set(argv[at + 1].split(","))
        argv = argv[:at] + argv[at + 2 :]
    path, first = Path(argv[0]), int(argv[1])
    count = int(argv[2]) if len(argv) > 2 else None
    try:
        record(path, first, count, subjects)
    except AuditkitError as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
