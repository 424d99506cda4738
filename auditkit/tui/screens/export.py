"""Export: the report and the data, in the formats the auditor ticks, into a folder."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Header, Input, Label, Static

from auditkit.audit import Audit
from auditkit.tui.dialogs.confirm import ConfirmDialog
from auditkit.tui.jobs import Read
from auditkit.tui.keys import bindings
from auditkit.tui.safe import plain
from auditkit.tui.screens.base import AuditkitScreen
from auditkit.tui.widgets.footer import FittingFooter

FORMAT_NAMES = {
    "docx": "Word report (.docx)",
    "html": "HTML report (.html)",
    "md": "Markdown report (.md)",
    "csv": "Answers as CSV (.csv)",
    "xlsx": "Data as an Excel workbook (.xlsx)",
    "json": "Whole audit as JSON (.json)",
    "bundle": "Bundle with evidence (.zip)",
}


def targets(audit_path: str | Path, formats: list[str], folder: Path) -> list[Path]:
    """Where each ticked format goes: ``folder``, named after the audit file."""
    from auditkit.export import EXTENSIONS

    stem = Path(audit_path).stem
    return [folder / f"{stem}{EXTENSIONS[fmt]}" for fmt in formats]


def export_all(
    audit: Audit, formats: list[str], folder: Path, overwrite: bool = False
) -> list[Path]:
    """Every ticked format into ``folder``; an existing file is replaced only when
    ``overwrite`` (the auditor said so)."""
    from auditkit.export import export

    paths = targets(audit.path, formats, folder)
    return [
        export(audit, fmt, path, force=overwrite) for fmt, path in zip(formats, paths, strict=True)
    ]


class ExportScreen(AuditkitScreen):
    """Tick formats, choose a folder, ctrl+e (or the button) writes them."""

    BINDINGS = bindings("export-now", "back")

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="export"):
            yield Static(
                "[b]Export[/b]  into any folder; an existing file is replaced only if you say so",
                classes="heading",
            )
            for fmt, name in FORMAT_NAMES.items():
                yield Checkbox(name, fmt in ("docx", "html"), id=f"format-{fmt}", compact=True)
            yield Label("Folder")
            yield Input(id="folder", compact=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export  ctrl+e", variant="primary", id="export-button")
            yield Static(id="export-result")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one("#folder", Input).value = str(Path(self.session.audit.path).resolve().parent)

    @on(Button.Pressed, "#export-button")
    def action_export(self) -> None:
        formats = [fmt for fmt in FORMAT_NAMES if self.query_one(f"#format-{fmt}", Checkbox).value]
        folder = Path(self.query_one("#folder", Input).value.strip() or ".").expanduser()
        if not formats:
            self.notify("Tick at least one format.", severity="warning")
            return
        if not folder.is_dir():
            self.notify(f"{folder}: no such folder", severity="error")
            return
        existing = [p for p in targets(self.session.audit.path, formats, folder) if p.exists()]
        if not existing:
            self._export(formats, folder, overwrite=False)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._export(formats, folder, overwrite=True)

        names = ", ".join(p.name for p in existing)
        self.app.push_screen(
            ConfirmDialog(f"Replace {names} in {folder}?", yes="Replace", no="Keep"), answered
        )

    def _export(self, formats: list[str], folder: Path, overwrite: bool) -> None:
        self.query_one("#export-result", Static).update("Exporting…")
        app = self.auditkit
        # A read of the audit (it writes files, not the audit): the result comes back here only.
        app.read(
            Read("the export", lambda audit: export_all(audit, formats, folder, overwrite)),
            self._written,
            self._not_written,
        )

    def _written(self, paths: list[Path]) -> None:
        shown = "Written:\n" + "\n".join(f"  {p}" for p in paths)
        self.query_one("#export-result", Static).update(plain(shown))

    def _not_written(self, error: str) -> None:
        self.query_one("#export-result", Static).update(
            plain("Not all written (see the message).", style="red")
        )

    def action_back(self) -> None:
        self.app.pop_screen()
