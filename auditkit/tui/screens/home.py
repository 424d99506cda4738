"""Home: recent audits, open a file, start a new audit."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from auditkit.audit import Audit
from auditkit.errors import AuditkitError
from auditkit.tui.dialogs.evidence import PathSuggester
from auditkit.tui.keys import bindings
from auditkit.tui.recent import Recent, file_stamp, recent, refresh
from auditkit.tui.safe import assemble
from auditkit.tui.screens.base import AuditkitScreen
from auditkit.tui.session import Session
from auditkit.tui.widgets.footer import FittingFooter

if TYPE_CHECKING:
    from auditkit.tui.widgets.portfolio import PortfolioPanel


class HomeScreen(AuditkitScreen):
    """Where ``auditkit`` alone starts."""

    BINDINGS = bindings(
        "add",
        "open",
        "publish",
        "pull",
        "next",
        "previous",
        footer={"add": ("New audit", "+")},
        add="new",
    )

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static(
                "[b]auditkit[/b]  the field tool for Alberta COR and SECOR audits", id="home-title"
            )
            yield Static("[b]Recent audits[/b]  Enter opens one", classes="heading")
            yield OptionList(id="recent")
            yield Static("[b]Open a file[/b]  type its path and press Enter", classes="heading")
            yield Input(
                placeholder="path/to/site.audit  (→ completes the path)",
                suggester=PathSuggester(),
                id="open-path",
            )
            if os.environ.get("AUDITKIT_DB", "").strip():
                # imported only here: without a portfolio, Home loads none of it
                from auditkit.tui.widgets.portfolio import PortfolioPanel

                yield PortfolioPanel(os.environ["AUDITKIT_DB"].strip())
            yield Static("[b]+[/b] start a new audit   ·   [b]F1[/b] every key", id="home-hint")
        yield FittingFooter()

    def on_mount(self) -> None:
        options = self.query_one("#recent", OptionList)
        rows = recent()
        self._show_rows(rows)
        # The list keeps the focus even when empty, so n and o work as keys, not as typing.
        options.focus()
        if rows:
            options.highlighted = 0
        # Progress as last seen here; a file written since (a colleague's CLI, a merge, this
        # TUI after it noted the row) is re-read off the UI thread and its row redrawn.
        stale = [r for r in rows if r.stamp != file_stamp(r.path)]
        if stale:
            self._reread(stale)
        if not self.auditkit.collector.settled:  # started on Home (see tui/collector.py)
            self.call_after_refresh(self.auditkit.collector.settle)

    def _show_rows(self, rows: list[Recent]) -> None:
        options = self.query_one("#recent", OptionList)
        highlighted = options.highlighted
        options.set_options(
            [
                Option(
                    assemble(
                        (r.company or Path(r.path).name, "bold"),
                        "  ",
                        (r.start_date, "cyan"),
                        "  " if r.start_date else "",
                        (r.status, "bold reverse" if r.status == "finalized" else "yellow"),
                        "  " if r.status else "",
                        r.progress(),
                        "\n",
                        (r.path, "dim"),
                    ),
                    id=r.path,
                )
                for r in rows
            ]
            or [
                Option(
                    Text("No audit opened yet: open a file below or press +.", style="dim"),
                    disabled=True,
                )
            ]
        )
        if rows and highlighted is not None:
            options.highlighted = min(highlighted, len(rows) - 1)

    @work(thread=True, exclusive=True, exit_on_error=False, group="recent")
    def _reread(self, stale: list[Recent]) -> None:
        """Re-read the status and progress of audits changed since Home last noted them."""
        fresh = []
        for row in stale:
            try:
                with Audit.open(Path(row.path)) as audit:
                    session = Session(audit, audit.answers(), audit.subjects(), {}, None, None)
                    answered, expected = session.progress()
                    profile = dict(audit.profile)
            except (AuditkitError, OSError):
                continue  # unreadable now: the row stays as it was; opening it will say why
            fresh.append(
                replace(
                    row,
                    company=str(profile["company"]),
                    start_date=str(profile.get("start_date") or ""),
                    status="finalized" if profile.get("finalized_at") else "draft",
                    answered=answered,
                    expected=expected,
                    # After closing (the last reader's close folds the log into the file).
                    stamp=file_stamp(row.path),
                )
            )
        if fresh:
            refresh(fresh)
            self.app.call_from_thread(self._show_rows, recent())

    @on(OptionList.OptionSelected, "#recent")
    def _open_recent(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.open_file(event.option.id)

    @on(Input.Submitted, "#open-path")
    def _open_typed(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.open_file(event.value.strip())

    @work(thread=True, exclusive=True, exit_on_error=False, group="open")
    def open_file(self, path: str) -> None:
        """Open (and check) the audit off the UI thread; errors become a notification."""
        try:
            session = Session.load(Audit.open(Path(path).expanduser(), write=True))
        except AuditkitError as exc:
            self.app.call_from_thread(self.notify, str(exc), title="Cannot open", severity="error")
            return
        self.app.call_from_thread(self._opened, session)

    def _opened(self, session: Session) -> None:
        self.auditkit.open_audit(session)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Publish and pull only where a portfolio is set (AUDITKIT_DB)."""
        if action in ("publish", "pull"):
            return bool(self.query("#portfolio-panel"))
        return True

    def action_publish(self) -> None:
        """Publish the open audit, else the highlighted recent one."""
        session = self.auditkit.session
        path = session.audit.path if session else None
        if path is None:
            recent_list = self.query_one("#recent", OptionList)
            index = recent_list.highlighted
            if index is not None and recent_list.get_option_at_index(index).id:
                path = Path(str(recent_list.get_option_at_index(index).id))
        if path is None:
            self.notify("Open or highlight an audit to publish it.", severity="warning")
            return
        self._panel().publish(path)

    def action_pull(self) -> None:
        """Pull the highlighted portfolio audit into a new file beside the open one."""
        panel = self._panel()
        row = panel.highlighted()
        if row is None:
            self.notify("Highlight an audit in the portfolio to pull it.", severity="warning")
            return
        session = self.auditkit.session
        folder = session.audit.path.parent if session else Path.cwd()
        panel.pull(row["audit_id"], row["company"], folder)

    def _panel(self) -> PortfolioPanel:
        from auditkit.tui.widgets.portfolio import PortfolioPanel

        return self.query_one("#portfolio-panel", PortfolioPanel)

    def on_portfolio_panel_pulled(self, message: PortfolioPanel.Pulled) -> None:
        self.open_file(str(message.path))

    def action_new(self) -> None:
        from auditkit.tui.screens.new_audit import NewAuditScreen

        self.app.push_screen(NewAuditScreen())

    def action_focus_open(self) -> None:
        self.query_one("#open-path", Input).focus()
