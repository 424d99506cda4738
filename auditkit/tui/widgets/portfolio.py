"""The firm's portfolio on Home (when ``AUDITKIT_DB`` names one): one line per published audit,
publishing an audit and pulling one back, each in a thread worker.

The widget does the work and reports back by message; Home decides which audit to publish
and opens what was pulled (``PortfolioPanel.Pulled``).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from auditkit.errors import AuditkitError
from auditkit.portfolio.pull import pull
from auditkit.portfolio.target import LocalCopy, display_name, open_target
from auditkit.tui.labels import count
from auditkit.tui.safe import assemble


def row_text(row: dict[str, Any]) -> Text:
    """One audit as a line: company, purpose, on-site day, score, verdict (finalized audits
    only), actions, next due."""
    percent = "—" if row["percent"] is None else f"{row['percent']:.1f} %"
    # A verdict only once finalized: a draft's score is not yet a result to show as PASS.
    if not row["finalized"]:
        verdict = ("draft", "dim")
    else:
        verdict = ("PASS", "green") if row["passed"] else ("FAIL", "red")
    actions = f"{row['open_actions']} open"
    if row["overdue_actions"]:
        actions += f", {row['overdue_actions']} overdue"
    # The company and dates come from the portfolio: shown as text, controls escaped.
    return assemble(
        (str(row["company"]), "bold"),
        "  ",
        (f"{row['purpose']} {row['end_date'] or row['start_date'] or ''}", "dim"),
        f"  {percent} ",
        verdict,
        f"  actions {actions}  next due {row['next_audit_due'] or '-'}",
    )


def free_name(folder: Path, company: str) -> Path:
    """``company-YYYY-MM-DD.audit`` in ``folder``, numbered when that is taken."""
    slug = re.sub(r"[^a-z0-9]+", "-", company.lower()).strip("-")[:40] or "audit"
    stem = f"{slug}-{date.today().isoformat()}"
    candidate = folder / f"{stem}.audit"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{number}.audit"
        number += 1
    return candidate


def publish_file(spec: str, path: Path) -> str:
    """Publish the audit file ``path`` to the portfolio ``spec``; what happened, in a sentence.

    Runs in a worker thread (it reads the whole journal and talks to the target).
    """
    copy = LocalCopy.read(path)
    try:
        target = open_target(spec)
        try:
            result = target.publish(copy)
        finally:
            target.close()
    finally:
        copy.close()
    if not result.added:
        return f"{result.company}: nothing new to publish"
    return f"{result.company}: {result.added:,} new journal entries published"


class PortfolioPanel(Vertical):
    """The portfolio's audits; ``publish(path)`` and ``pull(folder)`` run in workers."""

    DEFAULT_CSS = """
    PortfolioPanel { height: auto; }
    PortfolioPanel #portfolio { height: auto; max-height: 12; border: none; }
    """

    class Pulled(Message):
        """An audit was pulled into ``path``, a new file."""

        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    def __init__(self, spec: str) -> None:
        super().__init__(id="portfolio-panel")
        self.spec = spec
        self.rows: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        yield Static(
            assemble(
                ("Portfolio", "bold"),
                "  ",
                (display_name(self.spec), "dim"),
                "  p publishes the audit, u pulls the highlighted one into a new file",
            ),
            classes="heading",
        )
        yield OptionList(id="portfolio")

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="portfolio")
    def load(self) -> None:
        """Read the portfolio's rows off the UI thread."""
        try:
            target = open_target(self.spec)
            try:
                rows = target.rows()
            finally:
                target.close()
        except AuditkitError as exc:
            self.app.call_from_thread(self._failed, str(exc), "Portfolio unavailable")
            return
        self.app.call_from_thread(self._show, rows)

    def _show(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        options = self.query_one("#portfolio", OptionList)
        options.set_options(
            [Option(row_text(row), id=row["audit_id"]) for row in rows]
            or [Option(Text("No audit published yet: press p to publish one.", style="dim"))]
        )

    def _failed(self, message: str, title: str) -> None:
        self.notify(message, title=title, severity="error")

    def highlighted(self) -> dict[str, Any] | None:
        options = self.query_one("#portfolio", OptionList)
        index = options.highlighted
        if index is None or not self.rows or index >= len(self.rows):
            return None
        return self.rows[index]

    @work(thread=True, exclusive=True, exit_on_error=False, group="portfolio-send")
    def publish(self, path: Path) -> None:
        """Publish the audit file ``path``; a notification says what was sent."""
        try:
            message = publish_file(self.spec, path)
        except AuditkitError as exc:
            self.app.call_from_thread(self._failed, str(exc), "Not published")
            return
        self.app.call_from_thread(self.notify, message, title="Published")
        self.app.call_from_thread(self.load)

    @work(thread=True, exclusive=True, exit_on_error=False, group="portfolio-send")
    def pull(self, audit_id: str, company: str, folder: Path) -> None:
        """Pull the audit into a new file in ``folder``, then post :class:`Pulled`."""
        out = free_name(folder, company)
        try:
            target = open_target(self.spec)
            try:
                result = pull(target, audit_id, out)
            finally:
                target.close()
        except AuditkitError as exc:
            self.app.call_from_thread(self._failed, str(exc), "Not pulled")
            return
        conflicts = f", {len(result.conflicts)} conflict(s)" if result.conflicts else ""
        self.app.call_from_thread(
            self.notify,
            f"{result.company} pulled into {out.name}: "
            f"{count(result.answers, 'answer')}{conflicts}",
            title="Pulled",
        )
        self.post_message(self.Pulled(out))
