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
