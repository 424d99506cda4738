"""The QA panel: the QA check's problems, each a jump to what fixes it, and the verdict.

The check is the engine's (:mod:`auditkit.rules.qa_check`), run over the session's in-memory
mirror so a refresh after an answer reads nothing from SQLite. The dashboard and the finalize
dialog both show this panel; selecting a problem posts :class:`QAPanel.Jump`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from auditkit.rules.progress import AnswerKey
from auditkit.tui.jobs import Write
from auditkit.tui.safe import assemble
from auditkit.tui.scope import Scope
from auditkit.tui.session import Session
from auditkit.vocabulary import ROLE_NAMES

if TYPE_CHECKING:
    # The check and the sampling rules are imported where the panel is filled, after the
    # dashboard's first frame: the panel itself draws without them.
    from auditkit.rules.qa_check import CheckResult, Facts, Problem
    from auditkit.rules.sampling import SampleProgress
    from auditkit.tui.app import AuditkitApp

SHOWN = 200  # problems listed; the rest are counted (a fresh audit has one per question)


@dataclass(frozen=True)
class QAState:
    """The check of the session as last committed, and what the verdict may say."""

    facts: Facts
    result: CheckResult
    blocking: tuple[Problem, ...]

    @property
    def submittable(self) -> bool:
        return not self.blocking


def session_facts(session: Session, answered: set[AnswerKey] | None = None) -> Facts:
    """The check's facts from the session's mirror (no SQLite on the UI thread); ``answered``
    is the session's answer keys when the caller has them already."""
    from auditkit.rules.qa_check import AnswerFact, Facts

    answers = session.answers
    return Facts(
        protocol=session.protocol,
        profile=session.profile,
        subjects=session.subjects,
        answered=session.answered() if answered is None else answered,
        read_answers=lambda: [AnswerFact(r[1], r[2], r[3], r[4]) for r in answers.values()],
        scores=session.scores(),
        today=date.today(),
        item_notes={item: f.note for item, f in session.findings.items() if f.note},
        item_sfis={item for item, f in session.findings.items() if f.sfi},
    )


def session_check(session: Session, answered: set[AnswerKey] | None = None) -> QAState:
    """Run the QA check over the session."""
    from auditkit.rules.qa_check import run_check

    facts = session_facts(session, answered)
    result = run_check(facts)
    return QAState(facts, result, result.errors)


SAMPLE_PROFILE = "sample-profile"  # the staff, head office and CP's numbers dialog


def jump_for(problem: Problem) -> tuple[str, dict[str, object]]:
    """The screen (and its options) that fixes ``problem``: its question in the runner, the
    profile's sampling facts, the interviews screen for the interview sample, the site tour for
    site visits."""
    if problem.add_kind is not None:  # nobody to ask yet: add them first
        return {"interviewee": "interviews", "incident": "incidents"}.get(
            problem.add_kind, SAMPLE_PROFILE
        ), {}
    if problem.question:
        scope = Scope(start=problem.question, start_subject=problem.subject_id)
        return "runner", {"scope": scope}
    if problem.in_profile:
        return SAMPLE_PROFILE, {}
    if problem.code == "sample.interviews":
        return "interviews", {}
    if problem.code == "sample.sites":
        scope = Scope(component="infrastructure", start_subject=problem.subject_id)
        return "runner", {"scope": scope}
    return "dashboard", {}


def open_fix(app: AuditkitApp, problem: Problem) -> None:
    """Show what fixes ``problem``."""
    name, options = jump_for(problem)
    if name == SAMPLE_PROFILE:
        ask_sample_profile(app)
    elif name != "dashboard":
        app.open_screen(name, **options)


def ask_sample_profile(app: AuditkitApp) -> None:
    """The staff by level, head office and CP's numbers; saved on the writer once confirmed."""
    from auditkit.tui.dialogs.sample_profile import SampleProfile, SampleProfileDialog

    session = app.session
    if session is None:
        return

    def chosen(changes: SampleProfile | None) -> None:
        if changes is not None:
            app.save(Write("the staff and sample numbers", changes.apply))

    dialog = SampleProfileDialog(
        session.protocol, dict(session.profile), session.subjects_of("site")
    )
    app.push_screen(dialog, chosen)


class ProblemOption(Option):
    """One problem of the check, carrying it for the jump."""

    def __init__(self, problem: Problem, index: int) -> None:
        from auditkit.rules.qa_check import ERROR

        colour = "red" if problem.severity == ERROR else "yellow"
        where = " ".join(p for p in (problem.question, problem.subject) if p)
        prompt = assemble(
            (f"{problem.code:<18}", colour),
            (f"{where} " if where else "", "bold"),
            problem.message,  # plain text: labels and messages are never markup
        )
        super().__init__(prompt, id=f"problem-{index}")
        self.problem = problem


class QAPanel(Vertical):
    """The QA check: a title with the counts, and the problems as a list to jump from."""

    DEFAULT_CSS = """
    QAPanel { height: auto; margin-top: 1; }
    QAPanel > #qa-title { height: auto; }
    QAPanel > OptionList { height: auto; max-height: 12; border: none; padding: 0; }
    """

    class Jump(Message):
        """The auditor chose a problem: show what fixes it."""

        def __init__(self, problem: Problem) -> None:
            super().__init__()
            self.problem = problem

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple[Problem, ...] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="qa-title")
        yield OptionList(id="qa-problems")

    def show(self, state: QAState) -> None:
        """Show the check's problems (errors first) and whether the audit is submittable."""
        problems = state.result.problems
        if problems == self._shown:
            return  # most answers change no problem: no relayout
        self._shown = problems
        errors = len(state.blocking)
        from auditkit.rules.qa_check import ERROR

        warnings = sum(1 for p in problems if p.severity != ERROR)
        title = Text.assemble(("QA check  ", "bold"))
        if not problems:
            title.append("submittable: no problem a CP's reviewer would send back", "green")
        else:
            title.append(
                f"{errors} error{'s' if errors != 1 else ''}, "
                f"{warnings} warning{'s' if warnings != 1 else ''}",
                "red" if errors else "yellow",
            )
            title.append("  Enter on one to fix it", "dim")
        self.query_one("#qa-title", Static).update(title)
        options = self.query_one("#qa-problems", OptionList)
        listed: list[Option] = [ProblemOption(p, i) for i, p in enumerate(problems[:SHOWN])]
        if len(problems) > SHOWN:
            listed.append(Option(f"… and {len(problems) - SHOWN} more", disabled=True))
        options.set_options(listed)
        options.display = bool(listed)

    @on(OptionList.OptionSelected, "#qa-problems")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if isinstance(event.option, ProblemOption):
            self.post_message(self.Jump(event.option.problem))


def samples_text(progress: SampleProgress) -> Text:
    """Interviews by level and site visits, required against done (green where met)."""
    plan = progress.plan
    if plan is None:
        need = " · staff by level not declared"
    elif plan.total is None:
        need = " · the CP sets the number"
    else:
        need = f" of {plan.total} required"
    text = Text.assemble(("Interviews  ", "bold"), f"{progress.interviews_done} done{need}\n")
    roles = []
    for role in progress.roles:
        short = ROLE_NAMES.get(role.role, role.role).replace("Senior manager", "Senior mgr")
        required = f"/{role.required}" if role.required else ""
        met = role.required is not None and role.done >= role.required and plan is not None
        roles.append(Text(f"{short} {role.done}{required}", style="green" if met else ""))
    text.append_text(Text("  ").join(roles))
    if progress.sites_required is None and progress.sites:
        need = ", the CP sets the number"
    else:
        need = f", {progress.sites_required} required"
    text.append_text(
        Text.assemble(
            ("\nSite visits  ", "bold"), f"{len(progress.sites_visited)} of {progress.sites}{need}"
        )
    )
    if progress.head_office is not None:
        seen = "visited" if progress.head_office_visited else "not visited yet"
        text.append(f"\n  head office {seen}", style="dim")
    return text
