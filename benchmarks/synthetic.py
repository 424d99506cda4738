"""Large synthetic protocols and audits for the benchmarks (and anyone else who needs one).

Everything is written through the engine (``Audit``), so the files are real audits whose
journals verify. Building the large audit takes a while, so finished files are cached under
``CACHE`` keyed by their parameters, and callers get a fresh copy each time.

Sizes, as the issues name them:

* :func:`write_protocol` — a protocol of 2,000 questions over ten elements and all four
  components: a quarter answered once for the audit (``subject: none``), the rest per site,
  per interviewee and per incident.
* :func:`large_audit` — that protocol answered completely for 30 subjects: 30 sites,
  30 interviewees and 30 incidents, so each per-subject question carries 30 answers
  (1,500 × 30 + 500 = 45,500 answers).
* :func:`mechanics_audit` — the same 2,000 questions rewritten on the second edition's
  mechanics: 300 criteria of 3 parts (documentation, observation per site, a yes-no interview
  indicator), 300 cascades (criteria on criteria and questions on criteria, zero and na),
  answered for 30 subjects the way ``answer`` allows (a cascaded item's answers are refused).
* :func:`team_files` — ten copies of one audit, as a lead hands them to a team, each with
  1,000 answers recorded by a different auditor on their own sites and interviewees.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from auditkit.audit import Audit, Profile
from auditkit.errors import AnswerRefused
from auditkit.store.audit_file import Subject

CACHE = Path(__file__).resolve().parent / ".cache"

ELEMENTS = (
    ("leadership", "Management Leadership and Organizational Commitment"),
    ("contractors", "Public, Visitors and Contracted Employers"),
    ("committees", "Health and Safety Committees and Representatives"),
    ("training", "Training"),
    ("hazard_assessment", "Hazard Assessment"),
    ("hazard_control", "Hazard Control"),
    ("inspections", "Inspections and Maintenance"),
    ("emergency", "Emergency Response"),
    ("investigations", "Investigations"),
    ("administration", "Program Administration"),
)
# checklist file, component, subject kind, question-id letter, default method
CHECKLISTS = (
    ("documents.yaml", "documents", "none", "D", "documentation"),
    ("infrastructure.yaml", "infrastructure", "site", "O", "observation"),
    ("interviews.yaml", "interviews", "interviewee", "I", "interview"),
    ("incidents.yaml", "incidents", "incident", "R", "documentation"),
)
ROLES = ("senior_manager", "manager", "supervisor", "worker")
VALUES = ("yes", "yes", "yes", "partial", "no", "na")


def write_protocol(
    folder: Path, questions: int = 2000, criteria: int = 0, cascades: int = 0
) -> Path:
    """Write a valid protocol of ``questions`` questions into ``folder``; return the folder.

    Questions are spread evenly over the four checklists and the ten elements; scoring
    alternates between range and all-or-nothing, and every fifth question may be N/A.
    With ``criteria``, question *i* (i < criteria) of the documents, infrastructure and
    interviews checklists are the three parts of criterion C*i*; ``cascades`` dependencies
    go first from the later criteria to the earlier ones, then from incident questions to
    criteria, every third with ``cascade: na``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    names = ", ".join(name for name, *_ in CHECKLISTS)
    elements = "\n".join(
        f'  - {{id: {eid}, number: {n}, title: "{title}"}}'
        for n, (eid, title) in enumerate(ELEMENTS, start=1)
    )
    (folder / "protocol.yaml").write_text(
        f"id: synthetic-{questions}\ntitle: Synthetic protocol of {questions} questions\n"
        f'certificate: COR\nversion: "1.0"\npass:\n'
        f"  certification: {{overall: 80, element: 50}}\n"
        f"  recertification: {{overall: 80, element: 50}}\n"
        f"  maintenance: {{overall: 60}}\n"
        f"elements:\n{elements}\n{_criteria_yaml(criteria, cascades)}"
        f"checklists: [{names}]\n",
        encoding="utf-8",
    )
    on_criteria = min(cascades, criteria // 2)
    per_list = _split_evenly(questions, len(CHECKLISTS))
    for (name, component, subject, letter, method), count in zip(CHECKLISTS, per_list, strict=True):
        lines = [
            f"id: {component}",
            f"title: Synthetic {component}",
            f"component: {component}",
            f"subject: {subject}",
            "questions:",
        ]
        if subject == "interviewee" and criteria:
            lines.insert(4, "answers: yes-no")
        for i in range(count):
            number = i % len(ELEMENTS) + 1
            element = ELEMENTS[number - 1][0]
            if i < criteria and component != "incidents":
                lines += [
                    f'  - id: "C{i + 1}-{letter}"',
                    f'    criterion: "C{i + 1}"',
                    f"    text: Synthetic {component} part of criterion {i + 1}?",
                    f"    methods: [{method}]",
                    f"    na: {'true' if i % 5 == 0 else 'false'}",
                ]
                if subject == "interviewee":
                    lines.append(f"    roles: [{', '.join(ROLES)}]")
                continue
            lines += [
                f'  - id: "{number}.{letter}{i + 1}"',
                f"    element: {element}",
                f"    text: Synthetic {component} question {i + 1} about {element}?",
                f"    methods: [{method}]",
                f"    points: {5 + (i % 4) * 5}",
                f"    scoring: {'range' if i % 2 == 0 else 'all-or-nothing'}",
                f"    na: {'true' if i % 5 == 0 else 'false'}",
            ]
            if subject == "interviewee":
                lines.append(f"    roles: [{', '.join(ROLES)}]")
            on_questions = cascades - on_criteria
            if component == "incidents" and i < on_questions:
                lines.append(f'    depends_on: "C{i % criteria + 1}"')
                if i % 3 == 2:
                    lines.append("    cascade: na")
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _criteria_yaml(criteria: int, cascades: int) -> str:
    """The ``criteria:`` block: criterion C(k + half) depends on C(k) for the first cascades."""
    if not criteria:
        return ""
    half = criteria // 2
    lines = ["criteria:"]
    for i in range(criteria):
        element = ELEMENTS[i % len(ELEMENTS)][0]
        lines += [
            f'  - id: "C{i + 1}"',
            f"    element: {element}",
            f"    text: Synthetic criterion {i + 1} about {element}",
            f"    points: {5 + (i % 4) * 5}",
            f"    scoring: {'range' if i % 2 == 0 else 'all-or-nothing'}",
            f"    combine: {('average', 'all', 'any')[i % 3]}",
        ]
        if i >= half and i - half < min(cascades, half):
            lines.append(f'    depends_on: "C{i - half + 1}"')
            if i % 3 == 2:
                lines.append("    cascade: na")
    return "\n".join(lines) + "\n"


def mechanics_audit(
    dest: Path, questions: int = 2000, subjects: int = 30, criteria: int = 300, cascades: int = 300
) -> Path:
    """:func:`large_audit` on the second-edition protocol (criteria, cascades, yes-no)."""
    key = f"mechanics-q{questions}-s{subjects}-c{criteria}-k{cascades}"
    return _cached(
        key, dest, lambda path: _build_large_audit(path, questions, subjects, criteria, cascades)
    )


def large_audit(dest: Path, questions: int = 2000, subjects: int = 30) -> Path:
    """A complete audit of ``questions`` questions × ``subjects`` subjects, copied to ``dest``."""
    key = f"audit-q{questions}-s{subjects}"
    return _cached(key, dest, lambda path: _build_large_audit(path, questions, subjects))


def team_files(
    dest_dir: Path, files: int = 10, answers: int = 1000, questions: int = 2000
) -> list[Path]:
    """``files`` copies of one audit, each with ``answers`` answers by a different auditor.

    The lead's file holds the protocol and every subject; auditor *k* then answers on their
    own sites, interviewees and incidents (and a share of the once-per-audit questions), so
    the files overlap only where two auditors answered the same audit-level question.
    """
    dest_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(files):
        key = f"team-q{questions}-f{files}-a{answers}-{k}"
        target = dest_dir / f"auditor-{k + 1:02d}.audit"
        paths.append(
            _cached(
                key, target, lambda path, k=k: _build_team_file(path, k, files, answers, questions)
            )
        )
    return paths


def protocol_dir(questions: int = 2000, criteria: int = 0, cascades: int = 0) -> Path:
    """The cached synthetic protocol folder (created on first use)."""
    suffix = f"-c{criteria}-k{cascades}" if criteria or cascades else ""
    folder = CACHE / f"protocol-q{questions}{suffix}-{_code_digest()}"
    if not (folder / "protocol.yaml").exists():
        write_protocol(folder, questions, criteria, cascades)
    return folder


# -- building ---------------------------------------------------------------------------------


def _split_evenly(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def _cached(key: str, dest: Path, build: object) -> Path:
    """Copy the cached file ``key`` to ``dest``, building it first if needed."""
    digest = _code_digest()
    cached = CACHE / f"{key}-{digest}.audit"
    if not cached.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(".partial")
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)
        build(partial)  # type: ignore[operator]
        partial.replace(cached)
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cached, dest)
    return dest


def _code_digest() -> str:
    """Changes whenever this generator or the audit file's schema changes."""
    import auditkit.store.journal
    import auditkit.store.migrations

    sources = (
        Path(__file__),
        Path(auditkit.store.migrations.__file__),
        Path(auditkit.store.journal.__file__),
    )
    return hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:12]


@contextmanager
def _fast_writes(audit: Audit) -> Iterator[None]:
    """Skip fsync while generating; the file is checkpointed and complete when this ends."""
    conn = audit.store.conn
    conn.execute("PRAGMA synchronous = OFF")
    try:
        yield
    finally:
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _new_audit(
    path: Path, questions: int, subjects: int, criteria: int = 0, cascades: int = 0
) -> Audit:
    audit = Audit.create(
        path,
        Profile(
            company="Synthetic Industries Ltd.",
            protocol=str(protocol_dir(questions, criteria, cascades)),
            auditors=("Lead Auditor",),
        ),
    )
    with _fast_writes(audit):
        for i in range(subjects):
            audit.add_subject("site", f"Site {i + 1:02d}")
        for i in range(subjects):
            audit.add_subject("interviewee", f"I-{i + 1:02d}", role=ROLES[i % len(ROLES)])
        for i in range(subjects):
            audit.add_subject(
                "incident",
                f"INC-{i + 1:02d}",
                fields={
                    "date": f"2025-{i % 12 + 1:02d}-15",
                    "type": "first_aid",
                    "description": f"Synthetic incident {i + 1}",
                },
            )
    return audit


def _slots(audit: Audit) -> list[tuple[str, Subject | None]]:
    """Every (question, subject) pair the audit can be answered for."""
    by_kind = {kind: audit.subjects(kind) for kind in ("site", "interviewee", "incident")}
    slots: list[tuple[str, Subject | None]] = []
    for question in audit.protocol.questions:
        if question.per_subject:
            slots += [(question.id, s) for s in by_kind[question.subject]]
        else:
            slots.append((question.id, None))
    return slots


def _answer(audit: Audit, rng: random.Random, question_id: str, subject: Subject | None) -> None:
    question = audit.protocol.question(question_id)
    value = rng.choice(VALUES)
    if value == "na" and not question.na:
        value = "yes"
    if value == "partial" and not question.accepts_partial:
        value = "no"
    if question.accepts_points and rng.random() < 0.5:
        value = str(rng.randint(0, question.points))
    # A dependant of a parent that scored 0 or is N/A is refused: it is scored by cascade.
    with suppress(AnswerRefused):
        audit.answer(
            question_id,
            value,
            subject=subject.id if subject else None,
            note="synthetic" if rng.random() < 0.1 else None,
        )


def _build_large_audit(
    path: Path, questions: int, subjects: int, criteria: int = 0, cascades: int = 0
) -> None:
    rng = random.Random(questions * 1000 + subjects)
    with (
        _new_audit(path, questions, subjects, criteria, cascades) as audit,
        _fast_writes(audit),
    ):
        for question_id, subject in _slots(audit):
            _answer(audit, rng, question_id, subject)


def _build_team_file(path: Path, k: int, files: int, answers: int, questions: int) -> None:
    base = CACHE / f"team-base-q{questions}-f{files}.audit"
    if not base.exists():
        partial = base.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        _new_audit(partial, questions, subjects=3 * files).close()
        partial.replace(base)
    shutil.copyfile(base, path)
    rng = random.Random(k)
    with Audit.open(path, write=True) as audit, _fast_writes(audit):
        audit.author = f"Auditor {k + 1:02d}"
        # Auditor k owns subjects k, k+files, k+2*files … of each kind (in creation order).
        owned = {
            s.id
            for kind in ("site", "interviewee", "incident")
            for i, s in enumerate(audit.subjects(kind))
            if i % files == k
        }
        mine = [(q, s) for q, s in _slots(audit) if s is None or s.id in owned]
        for question_id, subject in rng.sample(mine, min(answers, len(mine))):
            _answer(audit, rng, question_id, subject)


def sqlite_rows(path: Path, table: str) -> int:
    """Row count of one table (for reporting the size of what was generated)."""
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
        return int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
