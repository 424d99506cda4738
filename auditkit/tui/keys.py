"""Every key of the TUI in one table: one meaning per key, whichever screen or dialog is open.

Screens and dialogs build their ``BINDINGS`` from here (:func:`bindings`), naming the table's
ids and, where their action has another name, the action to run; Help is generated from the
table, so it lists every key (Enter and the dialogs' keys included) and where it works.
A test checks that no key has two meanings and that every binding in the TUI comes from here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class Key:
    """One key and the one thing it means."""

    key: str  # Textual's key name(s), comma-separated
    meaning: str  # what Help and the footer say
    action: str = ""  # the default action ("" for keys the widgets handle: Enter, Tab)
    show: bool = True  # in the footer
    display: str | None = None  # how the footer writes it, when not the key itself
    priority: bool = False  # before the focused widget (quit, even while typing)
    label: str = ""  # the footer's word (set from LABELS)


KEYS: dict[str, Key] = {
    # -- everywhere ------------------------------------------------------------------------
    "help": Key("f1", "Help: every key", "help"),
    "quit": Key("ctrl+q", "Quit (asks when a note or form is half typed)", "quit", priority=True),
    "undo": Key("ctrl+z", "Undo the last answer, note or clear", "undo", show=False),
    "home": Key("H", "Home: recent audits, new audit", "home", show=False),
    "theme": Key("ctrl+t", "Light or dark theme", "toggle_theme", show=False),
    "palette": Key("ctrl+p", "Command palette: jump to a question or screen"),
    "back": Key("escape", "Back; in a dialog, cancel (asks before dropping text)", "back"),
    "choose": Key("enter", "Open or choose the highlighted row; confirm a dialog's button"),
    "field": Key("tab", "Next field or button (shift+tab: previous)"),
    "next": Key("j", "Next row (also down)", "move(1)", show=False),
    "previous": Key("k", "Previous row (also up)", "move(-1)", show=False),
    "save": Key("ctrl+s", "Save the dialog or form (note, record, new audit, attach)", "save"),
    "draft": Key("ctrl+r", "Propose a draft SFI to rewrite (finding dialog)", "draft"),
    "insert-comment": Key(
        "ctrl+o", "Insert one of your saved comments into the note", "insert_comment"
    ),
    "keep-comment": Key(
        "ctrl+b", "Save the note as one of your comments (kept on this computer)", "keep_comment"
    ),
    # -- answers and decisions ---------------------------------------------------------------
    "yes": Key("y", "Yes: answer yes, accept a course, confirm", "answer('yes')"),
    "partial": Key("p", "Partial", "answer('partial')", show=False),
    "no": Key("n", "No: answer no, refuse in a dialog", "answer('no')", show=False),
    "na": Key("a", "N/A (where the question allows it)", "answer('na')", show=False),
    "drop": Key("d", "Drop the highlighted course recommendation", "drop"),
    "clear": Key(
        "delete",
        "Clear the answer and its note (asks; ctrl+z undoes); delete a saved comment (asks)",
        "clear",
        show=False,
    ),
    "edit": Key(
        "e", "Edit: the answer's note, a recommendation's note, a record, a saved comment", "edit"
    ),
    "add": Key(
        "plus", "Add: a new audit, site, interviewee, incident, recommendation", "add", display="+"
    ),
    "attach": Key("f", "Attach a file (photo, scan) to the answer", "attach"),
    "remove-file": Key("F", "Remove a file from the answer", "detach", show=False),
    "view-file": Key(
        "O", "Open a file attached to the answer in the system's viewer", "view_file", show=False
    ),
    "subject": Key(
        "s", "Choose the subject (site, interviewee, incident)", "choose_subject", show=False
    ),
    "unanswered": Key("u", "Next unanswered question", "next_unanswered"),
    "same-as": Key(
        "equals_sign",
        "Same as at the other site: copy the answer and its note to another subject",
        "same_as",
        show=False,
        display="=",
    ),
    "finding": Key(
        "w", "Write the item's finding: justification note, SFI, priority, key", "finding"
    ),
    # -- the dashboard's screens -------------------------------------------------------------
    "resume": Key("r", "Resume where you were", "resume"),
    "interviews": Key("i", "Interviews", "screen('interviews')"),
    "incidents": Key("c", "Incidents", "screen('incidents')"),
    "training": Key("t", "Training", "screen('training')", show=False),
    "conflicts": Key("m", "Merge conflicts", "screen('conflicts')", show=False),
    "action-plan": Key("l", "Action plan: one action per SFI", "screen('actions')", show=False),
    "status": Key("space", "Move the highlighted action to its next status", "next_status"),
    "export": Key("x", "Export reports", "screen('export')"),
    "export-now": Key("ctrl+e", "Write the export", "export"),
    "finalize": Key("ctrl+f", "Finalize (lock) the audit", "finalize", show=False),
    "review": Key(
        "v", "Review every No, Partial, N/A and short score before finalizing", "screen('review')"
    ),
    "amendments": Key(
        "h", "Amendments: changes since finalizing", "screen('amendments')", show=False
    ),
    "open": Key("o", "Open a file by its path", "focus_open"),
    "qa": Key("q", "QA check of the audit", "qa", show=False),
    "sample-profile": Key(
        "S", "Staff by level and the interview sample (profile)", "sample_profile", show=False
    ),
    "company-profile": Key(
        "C",
        "Company profile: details, partner, auditor number, review period, courses",
        "company_profile",
        show=False,
    ),
    # -- the portfolio (when AUDITKIT_DB is set) ---------------------------------------------
    "publish": Key("P", "Publish the audit to the portfolio (AUDITKIT_DB)", "publish"),
    "pull": Key("G", "Get (pull) the highlighted portfolio audit into a new file", "pull"),
}
# The footer's word for each key (short: the footer fits 80 columns).
LABELS = {
    "help": "Help",
    "quit": "Quit",
    "undo": "Undo",
    "home": "Home",
    "theme": "Theme",
    "palette": "Palette",
    "back": "Back",
    "choose": "Choose",
    "field": "Next field",
    "next": "Next",
    "previous": "Previous",
    "save": "Save",
    "draft": "Draft SFI",
    "insert-comment": "Comments",
    "keep-comment": "Keep comment",
    "yes": "Yes",
    "partial": "Partial",
    "no": "No",
    "na": "N/A",
    "drop": "Drop",
    "clear": "Clear",
    "edit": "Edit",
    "add": "Add",
    "attach": "Attach",
    "remove-file": "Remove file",
    "view-file": "View file",
    "subject": "Subject",
    "unanswered": "Unanswered",
    "same-as": "Same as",
    "finding": "Finding",
    "resume": "Resume",
    "interviews": "Interviews",
    "incidents": "Incidents",
    "training": "Training",
    "conflicts": "Conflicts",
    "action-plan": "Action plan",
    "status": "Next status",
    "export": "Export",
    "export-now": "Export",
    "finalize": "Finalize",
    "review": "Review",
    "amendments": "Amendments",
    "open": "Open file",
    "publish": "Publish",
    "qa": "QA check",
    "sample-profile": "Staff and sample",
    "pull": "Pull",
    "company-profile": "Profile",
}
KEYS = {key_id: replace(spec, label=LABELS[key_id]) for key_id, spec in KEYS.items()}
# Digits: points on a range question; a side of a merge conflict.
DIGITS = "0123456789"
DIGIT_MEANING = "Points (0-9, Enter when more digits could follow); a conflict's side"
INFO_ONLY = ("palette", "choose", "field")  # handled by Textual's widgets, listed in Help


def bindings(
    *ids: str,
    footer: dict[str, tuple[str, str | None]] | None = None,
    hide: tuple[str, ...] = (),
    **actions: str,
) -> list[BindingType]:
    """The ``BINDINGS`` of a screen or dialog: the table's keys ``ids``; ``actions`` names the
    screen's own action for an id (dashes as underscores), e.g. ``yes="accept"``; ``footer``
    gives an id a footer label (and key display) of the screen's own."""
    found: list[BindingType] = []
    for key_id in ids:
        spec = KEYS[key_id]
        action = actions.get(key_id.replace("-", "_"), spec.action)
        label, display = (footer or {}).get(key_id, (spec.label, spec.display))
        found.append(
            Binding(
                spec.key,
                action,
                label,
                show=spec.show and key_id not in hide,
                key_display=display,
                priority=spec.priority,
                id=key_id,
            )
        )
    return found


def digit_bindings(action: str, digits: str = DIGITS, shown: bool = False) -> list[BindingType]:
    """One binding per digit, running ``action(digit)``."""
    return [
        Binding(
            d,
            f"{action}({d})" if action == "keep" else f"{action}('{d}')",
            "Points" if action == "digit" else "Keep side",
            show=shown and d == digits[0],
            key_display=f"{digits[0]}-{digits[-1]}",
            id=f"digit-{d}",
        )
        for d in digits
    ]
