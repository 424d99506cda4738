"""The audit dashboard: components with progress, live scores, samples and what is left."""

from __future__ import annotations

import os
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from auditkit.audit import Audit
from auditkit.errors import AuditkitError
from auditkit.rules.progress import ComponentProgress, components
from auditkit.rules.staff import workforce
from auditkit.tui.jobs import Read, WriteOutcome
from auditkit.tui.keys import bindings
from auditkit.tui.labels import KIND_NAMES, count
from auditkit.tui.safe import assemble
from auditkit.tui.scope import Scope
from auditkit.tui.screens.base import AuditkitScreen
from auditkit.tui.widgets.element_bars import ElementBars, bar
from auditkit.tui.widgets.footer import FittingFooter
from auditkit.tui.widgets.qa_panel import (
    QAPanel,
    ask_sample_profile,
    open_fix,
    samples_text,
    session_check,
)

# Per-subject components are worked from their own screen (choose the subject first).
COMPONENT_SCREENS = {"interviews": "interviews", "incidents": "incidents"}


class DashboardScreen(AuditkitScreen):
    """Where the auditor lands when an audit opens."""

    # The footer fits 80 columns; the keys it leaves out are listed under "Left" and in Help.
    BINDINGS = bindings(
        "resume",
        "unanswered",
        "interviews",
        "incidents",
        "training",
        "conflicts",
        "action-plan",
        "export",
        "finalize",
        "review",
        "amendments",
        "publish",
        "qa",
        "sample-profile",
        "company-profile",
        "add",
        "next",
        "previous",
        hide=("unanswered", "publish", "add", "review"),
        footer={"add": ("Add site", "+")},
        add="add_site",
    )

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="profile")
        with Horizontal(id="dashboard"):
            with Vertical(id="dashboard-left"):
                yield Static("[b]Components[/b]  Enter to work on one", classes="heading")
                yield OptionList(id="components")
                yield Static(id="samples")
                yield Static(id="left")
            with VerticalScroll(id="dashboard-right"):
                yield ElementBars(id="elements")
                yield QAPanel(id="qa")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.conflicts = 0
        self._filled = False  # until the first _refresh, after the first frame
        self.query_one("#profile", Static).update(self._profile_text())
        self.query_one("#components", OptionList).focus()
        self.follow_changes(self._on_change)
        self.call_after_refresh(self._check_conflicts)  # secondary: after the first frame

    def on_screen_resume(self) -> None:
        if not self._filled:
            # The first frame shows the header, the profile and the layout at once; scores,
            # progress and samples (the sampling rules are YAML) fill it right after.
            self.call_after_refresh(self._fill)
            return
        self._refresh()
        if self.conflicts:
            self._check_conflicts()  # some may have been resolved meanwhile

    def _fill(self) -> None:
        self._refresh()
        # The audit's screen is whole: what it took to get here lives as long as the audit is
        # open, and the collector need not walk it again (see tui/collector.py).
        self.call_after_refresh(self.auditkit.collector.settle)

    def _check_conflicts(self) -> None:
        app = self.auditkit
        app.read(
            Read("looking for merge conflicts", count_conflicts),
            self._conflicts_counted,
            lambda error: self._conflicts_counted(0),
        )

    def _conflicts_counted(self, count: int) -> None:
        self.conflicts = count
        self._refresh()

    def _on_change(self, change: WriteOutcome) -> None:
        if change.saved:
            self._refresh()

    def _profile_text(self) -> Text:
        p = self.session.profile
        dates = " to ".join(d for d in (p.get("start_date"), p.get("end_date")) if d)
        auditors = ", ".join(self.session.audit.auditors) or "auditor not set"
        return assemble(
            (str(p["company"]), "bold"),
            "  ",
            (f"{p['certificate']} {p['purpose']}", "bold cyan"),
            f" · {dates} · {auditors} · {workforce(p) or '?'} workers",
        )

    def _refresh(self) -> None:
        from auditkit.tui.widgets.mechanics import cascaded_ids  # after the first frame

        self._filled = True
        session = self.session
        self.query_one("#profile", Static).update(self._profile_text())  # staff may change
        answered = session.answered()
        progress = components(
            session.protocol, session.subjects, answered, skip=cascaded_ids(session)
        )
        options = self.query_one("#components", OptionList)
        highlighted = options.highlighted
        options.set_options([self._component_option(c) for c in progress])
        options.highlighted = highlighted if highlighted is not None else 0
        qa = session_check(session, answered)
        self.query_one(ElementBars).show(session.scores(), len(qa.blocking))
        self.query_one(QAPanel).show(qa)
        self.query_one("#samples", Static).update(samples_text(qa.facts.progress))
        left = sum(c.left for c in progress)
        resume = session.last_question()
        lines = [f"[b]Left[/b]  {count(left, 'answer')} to give" if left else "[b]All answered[/b]"]
        unreachable = session.scores().unanswered if not left else 0
        if unreachable:
            # Role-only questions with nobody of their role added: the QA panel says which.
            lines[0] = (
                f"[b]Left[/b]  {count(unreachable, 'question')} nobody added can answer (QA check)"
            )
        if left:
            lines.append("[b]u[/b] next unanswered")
        where = f"[b]r[/b] resume at {resume[0]} · " if resume else ""
        lines.append(f"{where}[b]t[/b] training")
        finalized = session.finalized_at
        if finalized:
            lines.append(
                f"[b reverse] FINALIZED [/b reverse] {finalized[:10]} · [b]h[/b] amendments"
            )
        else:
            lines.append("[b]v[/b] review · [b]ctrl+f[/b] finalize")
        if self.conflicts:
            lines.append(
                f"[b yellow]m[/b yellow] [yellow]{count(self.conflicts, 'merge conflict')} "
                "to review[/yellow]"
            )
        self.query_one("#left", Static).update("\n".join(lines))

    def _component_option(self, c: ComponentProgress) -> Option:
        percent = c.answered * 100 // c.expected if c.expected else 0
        colour = "green" if c.expected and c.answered == c.expected else "cyan"
        done = f"{c.answered}/{c.expected}"
        extra = f"  {count(c.subjects, c.subject)}" if c.subject in KIND_NAMES else ""
        prompt = assemble(
            (c.title, "bold"),
            (f"{extra}\n", "dim"),
            bar(percent, 16, colour),
            f" {done:>8}",
            (f" {percent:>3}%", "dim"),
        )
        return Option(prompt, id=c.component)

    @on(OptionList.OptionSelected, "#components")
    def _open_component(self, event: OptionList.OptionSelected) -> None:
        component = event.option.id or ""
        app = self.auditkit
        if component in COMPONENT_SCREENS:
            app.open_screen(COMPONENT_SCREENS[component])
        else:
            app.open_screen("runner", scope=Scope(component=component))

    @on(QAPanel.Jump)
    def _fix(self, event: QAPanel.Jump) -> None:
        open_fix(self.auditkit, event.problem)

    def action_add_site(self) -> None:
        self.auditkit.ask_site()

    def action_company_profile(self) -> None:
        self.auditkit.ask_profile()

    def action_sample_profile(self) -> None:
        ask_sample_profile(self.auditkit)

    def action_qa(self) -> None:
        problems = self.query_one("#qa-problems", OptionList)
        problems.focus()
        if problems.highlighted is None and problems.option_count:
            problems.highlighted = 0

    def action_resume(self) -> None:
        resume = self.session.last_question()
        start, subject = resume if resume else (None, None)
        protocol = self.session.protocol
        # The checklist the auditor was in, not every question of the audit.
        component = protocol.question(start).component if start else None
        self.action_screen(
            "runner",
            scope=Scope(component=component, start=start, start_subject=subject or None),
        )

    def action_next_unanswered(self) -> None:
        app = self.auditkit
        app.open_next_unanswered()

    def action_publish(self) -> None:
        """Publish the open audit to the portfolio that AUDITKIT_DB names."""
        spec = os.environ.get("AUDITKIT_DB", "").strip()
        if not spec:
            self.notify(
                "No portfolio: set AUDITKIT_DB to a folder or a postgresql:// URL.",
                severity="warning",
            )
            return
        self._publish(spec, self.session.audit.path)

    @work(thread=True, exclusive=True, exit_on_error=False, group="publish")
    def _publish(self, spec: str, path: Path) -> None:
        from auditkit.tui.widgets.portfolio import publish_file

        try:
            message = publish_file(spec, path)
        except AuditkitError as exc:
            self.app.call_from_thread(
                self.notify, str(exc), title="Not published", severity="error"
            )
            return
        self.app.call_from_thread(self.notify, message, title="Published")

    def action_finalize(self) -> None:
        app = self.auditkit
        app.ask_finalize()

    def action_screen(self, name: str, **options: object) -> None:
        app = self.auditkit
        app.open_screen(name, **options)


def count_conflicts(audit: Audit) -> int:
    """Merge conflicts in the audit; run on the writer, as it reads the whole journal."""
    from auditkit.team.conflicts import conflicts

    return len(conflicts(audit))
