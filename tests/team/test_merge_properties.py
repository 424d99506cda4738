"""Merge is a union: order-independent, idempotent, associative, and the later change wins,
over random interleaved edit histories of three auditors."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditkit.team.merge import merge
from auditkit.team.verify import verify_file
from tests.team.conftest import answers, content, copy, edit, new_audit

FILES = 3
Slot = tuple[str, str | None]  # question, site label (None: answered once for the audit)
Step = tuple[int, str, Slot, str]  # file index, operation, slot, value
Outcome = tuple[str | None, str]

steps = st.lists(
    st.tuples(
        st.integers(0, FILES - 1),
        st.sampled_from(("answer", "answer", "note", "clear")),
        st.sampled_from(
            (("1.D1", None), ("5.D1", None), ("8.O1", "Shop"), ("8.O1", "Yard"), ("5.O1", "Dock"))
        ),
        st.sampled_from(("yes", "no", "partial")),
    ),
    max_size=12,
)


def apply(paths: list[Path], history: list[Step]) -> dict[tuple[str, str], Outcome]:
    """Play the steps in order (so in time order) and return what the merge must hold: for
    each answer, the state left by the file that changed it last."""
    state: list[dict[tuple[str, str], Outcome]] = [{} for _ in paths]
    last_change: dict[tuple[str, str], int] = {}  # slot -> file that changed it last
    for index, operation, (question, site), value in history:
        slot = (question, site or "")
        mine = state[index]
        with edit(paths[index], f"auditor{index}") as audit:
            if site and site not in {s.label for s in audit.subjects("site")}:
                audit.add_subject("site", site)  # added on several laptops: one site
            if operation == "answer":
                audit.answer(question, value, subject=site)
                mine[slot] = (value, mine.get(slot, (None, ""))[1])
            elif operation == "note":
                audit.set_note(question, f"note {value}", subject=site)
                mine[slot] = (mine.get(slot, (None, ""))[0], f"note {value}")
            elif slot in mine:
                audit.clear_answer(question, subject=site)
                del mine[slot]
            else:
                continue  # clearing nothing changes nothing
        last_change[slot] = index
    return {slot: state[index][slot] for slot, index in last_change.items() if slot in state[index]}


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=steps)
def test_merge_is_a_union_where_the_later_change_wins(history: list[Step]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        lead = new_audit(tmp / "lead.audit")
        a, b, c = (copy(lead, tmp / f"{name}.audit") for name in "abc")
        expected = apply([a, b, c], history)

        merge(tmp / "ab.audit", [a, b])
        merge(tmp / "ba.audit", [b, a])
        assert content(tmp / "ab.audit") == content(tmp / "ba.audit")

        merge(tmp / "aa.audit", [a, a])
        assert content(tmp / "aa.audit") == content(a)
        merge(tmp / "ab-a.audit", [tmp / "ab.audit", a])
        assert content(tmp / "ab-a.audit") == content(tmp / "ab.audit")

        merge(tmp / "ab-c.audit", [tmp / "ab.audit", c])
        merge(tmp / "bc.audit", [b, c])
        merge(tmp / "a-bc.audit", [a, tmp / "bc.audit"])
        merge(tmp / "cba.audit", [c, b, a])
        assert content(tmp / "ab-c.audit") == content(tmp / "a-bc.audit")
        assert content(tmp / "ab-c.audit") == content(tmp / "cba.audit")
        assert answers(tmp / "cba.audit") == expected
        assert verify_file(tmp / "cba.audit").ok
