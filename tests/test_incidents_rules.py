"""Which incident questions cannot apply to a record's type, and how the reason reads."""

from __future__ import annotations

from auditkit.rules.incidents import not_applicable_reason


def test_reason_names_the_types_asked_of() -> None:
    wcb = ("medical_aid", "lost_time", "serious")
    assert not_applicable_reason(wcb, {"type": "near_miss"}) == (
        "not a medical-aid, lost-time or serious incident"
    )
    assert not_applicable_reason(("serious",), {"type": "first_aid"}) == "not a serious incident"
    assert not_applicable_reason(wcb, {"type": "lost_time"}) == ""
    assert not_applicable_reason(wcb, {}) == ""  # no type recorded: the auditor decides
    assert not_applicable_reason((), {"type": "near_miss"}) == ""
