"""Issue 14: the review before finalizing, "same as at the other site", reusable comments."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from auditkit.audit import Audit
from auditkit.tui.app import AuditkitApp
from auditkit.tui.widgets.question_list import QuestionList

SIZE = (120, 40)


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def open_app(path: Path) -> AuditkitApp:
    return AuditkitApp(Audit.open(path, write=True), remember_recent=False)


def review_text(app: AuditkitApp) -> str:
    listing = app.screen.query_one("#review", OptionList)
    return "\n".join(
        str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)
    )


async def test_review_lists_what_is_short_of_full_with_note_and_files(
    mini_path: Path, tmp_path: Path
) -> None:
    photo = tmp_path / "guard-missing.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 not really a photo")
    with Audit.open(mini_path, write=True) as audit:
        audit.answer("1.D1", "7", note="Policy signed, but not posted at the Yard.")
        audit.answer("5.O1", "no", "Yard", note="No pre-use inspection for the skid steer.")
        audit.answer("5.D1", "yes", note="Hazard assessments on file for every task sampled.")
        audit.answer("8.D1", "na", note="No subcontractors hired this year.")
        from auditkit.rules.attachments import add_evidence

        add_evidence(
            audit, "5.O1", [str(photo)], subject="Yard", caption="skid steer, no inspection tag"
        )
    app = open_app(mini_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v")
        await settle(pilot)
        text = review_text(app)
        assert "5.O1 No · Yard" in text and "No pre-use inspection" in text
        assert "1.D1 7 of 10 points" in text
        assert "guard-missing.jpg" in text
        assert "8.D1 N/A" in text or "8.D1 Not applicable" in text
        assert "5.D1" not in text  # a Yes is not listed
        title = str(app.screen.query_one("#review-title", Static).render())
        assert "3 answers below full" in title
        # Enter opens the answer in the runner
        listing = app.screen.query_one("#review", OptionList)
        listing.highlighted = next(
            i
            for i in range(listing.option_count)
            if "5.O1" in str(listing.get_option_at_index(i).prompt)
        )
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one(QuestionList).question.id == "5.O1"  # type: ignore[union-attr]


async def test_review_from_the_finalize_dialog_and_the_palette(mini_path: Path) -> None:
    with Audit.open(mini_path, write=True) as audit:
        audit.answer("5.O1", "no", "Yard", note="No pre-use inspection for the skid steer.")
    app = open_app(mini_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+f")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert "5.O1 No" in review_text(app)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Review before")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "5.O1 No" in review_text(app)


def two_sites(tmp_path: Path) -> tuple[Path, str, str]:
    from auditkit.audit import Profile

    path = tmp_path / "two.audit"
    mini = Path(__file__).parent.parent / "fixtures" / "mini"
    with Audit.create(
        path,
        Profile(
            company="Two Sites Co", protocol=str(mini), headcounts=(12,), sites=("Yard", "Shop")
        ),
    ) as audit:
        ids = {s.label: s.id for s in audit.subjects("site")}
        audit.answer("5.O1", "partial", ids["Yard"], note="Guardrail on the mezzanine is loose.")
    return path, ids["Yard"], ids["Shop"]


async def test_same_as_at_the_other_site_copies_answer_and_note(tmp_path: Path) -> None:
    from auditkit.tui.scope import Scope

    path, yard, shop = two_sites(tmp_path)
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        app.open_screen("runner", scope=Scope(start="5.O1", start_subject=yard))
        await settle(pilot)
        await pilot.press("equals_sign")
        await settle(pilot)
        await pilot.press("enter")  # Shop, the one other site
        await settle(pilot)
        with Audit.open(path) as audit:
            row = audit.answer_row("5.O1", shop)
        assert row is not None and row.value == "partial"
        assert row.note == "Guardrail on the mezzanine is loose."
        await pilot.press("ctrl+z")
        await settle(pilot)
        with Audit.open(path) as audit:
            assert audit.answer_row("5.O1", shop) is None
            assert audit.answer_row("5.O1", yard) is not None


async def test_saved_comments_are_kept_and_inserted(mini_path: Path, tmp_path: Path) -> None:
    from textual.widgets import TextArea

    from auditkit.tui.snippets import snippets

    comment = "Interviewed workers could name the muster point and the first aid attendant."
    app = open_app(mini_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "e")  # the note on 1.D1
        await settle(pilot)
        app.screen.query_one(TextArea).insert(comment)
        await pilot.press("ctrl+b")  # keep it as a saved comment
        await settle(pilot)
        assert snippets() == [comment]
        assert (tmp_path / "config" / "auditkit" / "snippets.json").is_file()
        await pilot.press("ctrl+s")
        await settle(pilot)
        app.screen.query_one(QuestionList).go_to("8.D1")
        await pilot.pause()
        await pilot.press("e")  # another question's note
        await settle(pilot)
        await pilot.press("ctrl+o")  # the saved comments
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one(TextArea).text == comment
        await pilot.press("ctrl+s")
        await settle(pilot)
    with Audit.open(mini_path) as audit:
        notes = [row.note for row in audit.answers()]
    assert notes.count(comment) == 2
