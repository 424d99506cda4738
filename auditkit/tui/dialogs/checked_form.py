"""A dialog whose fields make one value, checked by the engine's rules before it closes."""

from __future__ import annotations

from typing import TypeVar

from textual import on
from textual.screen import ModalScreen
from textual.widgets import Button, Input

from auditkit.errors import AuditkitError
from auditkit.tui.keys import bindings

Value = TypeVar("Value")


class CheckedForm(ModalScreen[Value | None]):
    """ctrl+s, Enter in a field or the Save button returns :meth:`value`; a value the rules
    refuse keeps the dialog open with the reason as a notification. esc returns None."""

    BINDINGS = bindings("save", "back", back="cancel")

    def value(self) -> Value:
        """The form's fields as one value, or :class:`AuditkitError` naming what is wrong."""
        raise NotImplementedError

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        try:
            value = self.value()
        except AuditkitError as exc:
            self.notify(str(exc), title="Not saved", severity="error")
            return
        self.dismiss(value)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
