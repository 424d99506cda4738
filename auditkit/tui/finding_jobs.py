"""Opening an item's finding from any screen, and saving it through the writer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from auditkit.rules.findings import Finding, draft_sfi, item_of, set_finding
from auditkit.tui.dialogs.finding import FindingDialog, FindingInput
from auditkit.tui.jobs import Write
from auditkit.tui.session import Session

if TYPE_CHECKING:
    from auditkit.tui.app import AuditkitApp


def edit_finding(app: AuditkitApp, session: Session, question_id: str) -> None:
    """Show the finding of the item ``question_id`` scores into; save it when changed."""
    item = item_of(session.protocol, question_id)
    current = session.findings.get(item.id, Finding(item.id))
    notes = [
        row.note
        for (q, _), row in session.answers.items()
        if q in item.parts and row.note and row.value is not None
    ]

    def save(edited: FindingInput | None) -> None:
        if edited is None:
            return
        if edited == FindingInput(current.note, current.sfi, current.priority, current.key):
            return
        app.save(
            Write(
                f"the finding on {item.id}",
                lambda audit: set_finding(
                    audit, item.id, edited.note, edited.sfi, edited.priority, edited.key
                ),
            )
        )

    draft = draft_sfi(item, [current.note, *notes])
    app.push_screen(FindingDialog(item.id, item.text, current, draft), save)


def follow_up(session: Session, question_id: str) -> dict[str, str]:
    """The SFI of the item ``question_id`` scores, and last audit's action on it, as text."""
    item = item_of(session.protocol, question_id)
    finding = session.findings.get(item.id)
    carried = session.carried.get(item.id)
    text = ""
    if carried is not None:
        who = f", {carried.owner}" if carried.owner else ""
        due = f", due {carried.due}" if carried.due else ""
        text = f"{carried.text} ({carried.status.replace('-', ' ')}{who}{due})"
    return {"sfi": finding.sfi if finding else "", "carried": text}
