"""The scoring rule of DESIGN.md, branch by branch, plus properties over random answers."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditkit.protocol.model import Checklist, Element, PassRule, Protocol, Question, load_protocol
from auditkit.rules.scoring import Given, display_percent, round_half_up, score, score_question
from tests.conftest import MINI


def q(
    points: int = 10,
    scoring: str = "range",
    threshold: int = 100,
    subject: str = "none",
    element: str = "e1",
    qid: str = "q",
) -> Question:
    return Question(
        id=qid,
        element=element,
        text="t",
        component="documents",
        subject=subject,
        checklist="c",
        points=points,
        scoring=scoring,
        threshold=threshold,
        methods=("documentation",),
        na=True,
    )


def test_round_half_up_is_not_bankers_rounding() -> None:
    assert round_half_up(Fraction(5, 2)) == 3
    assert round_half_up(Fraction(7, 2)) == 4
    assert round_half_up(Fraction(249, 100)) == 2
    assert round(2.5) == 2  # why the helper exists


@pytest.mark.parametrize(("value", "awarded"), [("yes", 10), ("partial", 5), ("no", 0), ("7", 7)])
def test_single_answer_range(value: str, awarded: int) -> None:
    result = score_question(q(), [value])
    assert (result.status, result.awarded, result.possible) == ("scored", awarded, 10)


def test_partial_on_five_points_rounds_half_up() -> None:
    assert score_question(q(points=5), ["partial"]).awarded == 3


def test_mean_over_subjects_leaves_na_out() -> None:
    result = score_question(q(subject="site"), ["yes", "no", "na", "partial"])
    assert result.compliance == Fraction(1, 2)
    assert result.awarded == 5
    assert result.subjects == 4


def test_all_na_question_leaves_both_sums() -> None:
    result = score_question(q(subject="site"), ["na", "na"])
    assert (result.status, result.awarded, result.possible) == ("na", 0, 0)


def test_unanswered_question_is_counted_apart() -> None:
    result = score_question(q(), [])
    assert (result.status, result.awarded, result.possible) == ("unanswered", 0, 0)


@pytest.mark.parametrize(
    ("values", "threshold", "awarded"),
    [
        (["yes", "yes"], 100, 20),
        (["yes", "partial"], 100, 0),
        (["yes", "partial"], 70, 20),  # 75 % >= 70
        (["yes", "no"], 70, 0),  # 50 % < 70
        (["yes", "yes", "yes", "no", "na"], 75, 20),  # exactly 75 % meets 75
    ],
)
def test_all_or_nothing_against_threshold(values: list[str], threshold: int, awarded: int) -> None:
    question = q(points=20, scoring="all-or-nothing", threshold=threshold, subject="site")
    assert score_question(question, values).awarded == awarded


def mini_scores(answers: list[tuple[str, str, str]], purpose: str = "certification"):  # type: ignore[no-untyped-def]
    protocol = load_protocol(MINI)
    return score(protocol, [Given(*a) for a in answers], purpose)


def test_element_and_overall_are_sums_of_points_not_mean_of_percentages() -> None:
    scores = mini_scores(
        [
            ("1.D1", "", "10"),
            ("1.I1", "w", "no"),  # leadership 10/20
            ("5.D1", "", "yes"),
            ("5.O1", "s", "no"),
        ]
    )  # hazard 20/25
    by_id = {e.id: e for e in scores.elements}
    assert (by_id["leadership"].awarded, by_id["leadership"].possible) == (10, 20)
    assert (by_id["hazard_assessment"].awarded, by_id["hazard_assessment"].possible) == (20, 25)
    assert (scores.awarded, scores.possible) == (30, 45)
    assert scores.percent == Fraction(200, 3)  # not (50 + 80) / 2 = 65
    assert scores.answered == 4 and scores.unanswered == 4 and not scores.complete


def test_pass_needs_overall_and_every_element() -> None:
    # 1.D1 10/10, 1.I1 10/10, 5.D1 20/20, 5.O1 5/5, 5.I1 10/10, 5.R1 10/10 -> 65/65,
    # emergency 8.D1 0/10, 8.O1 0/10 -> 0 % < 50 %: overall 76.5 %, fails anyway
    full = [
        ("1.D1", "", "10"),
        ("1.I1", "w", "yes"),
        ("5.D1", "", "yes"),
        ("5.O1", "s", "yes"),
        ("5.I1", "v", "yes"),
        ("5.R1", "i", "yes"),
    ]
    scores = mini_scores(full + [("8.D1", "", "no"), ("8.O1", "s", "no")])
    assert [e.id for e in scores.failed_elements] == ["emergency"]
    assert not scores.passed
    maintenance = mini_scores(full + [("8.D1", "", "no"), ("8.O1", "s", "no")], "maintenance")
    assert maintenance.failed_elements == () and maintenance.passed  # 65/85 = 76.5 % >= 60


def test_pass_compares_exact_values_not_rounded_ones() -> None:
    questions = tuple(q(points=1, qid=f"q{i}") for i in range(10_000))
    protocol = Protocol(
        id="p",
        title="p",
        certificate="COR",
        version="1",
        elements=(Element("e1", 1, "E"),),
        checklists=(Checklist("c", "C", "documents", "none", "c.yaml", questions),),
        pass_rules={"certification": PassRule("certification", 80, 50)},
        files={},
    )
    # 7,999 of 10,000 points: 79.99 % shows as 80.0 % but must fail
    given_ = [Given(f"q{i}", "", "yes" if i < 7999 else "no") for i in range(10_000)]
    result = score(protocol, given_, "certification")
    assert display_percent(result.percent) == "80.0 %"
    assert not result.passed


def test_display_rounds_half_up_to_one_decimal() -> None:
    assert display_percent(Fraction(1665, 20)) == "83.3 %"  # 83.25 -> 83.3
    assert display_percent(None) == "—"


answer_values = st.sampled_from(["yes", "no", "partial", "na"])


@st.composite
def mini_answers(draw: st.DrawFn) -> list[tuple[str, str, str]]:
    protocol = load_protocol(MINI)
    result = []
    for question in protocol.questions:
        if not draw(st.booleans()):
            continue
        subjects = ["s1", "s2", "s3"] if question.per_subject else [""]
        for subject in subjects[: draw(st.integers(1, len(subjects)))]:
            if question.accepts_points and draw(st.booleans()):
                value = str(draw(st.integers(0, question.points)))
            else:
                value = draw(answer_values)
            result.append((question.id, subject, value))
    return result


@settings(max_examples=200, deadline=None)
@given(mini_answers())
def test_awarded_never_exceeds_possible(answers: list[tuple[str, str, str]]) -> None:
    scores = mini_scores(answers)
    assert 0 <= scores.awarded <= scores.possible
    for element in scores.elements:
        assert 0 <= element.awarded <= element.possible


@settings(max_examples=100, deadline=None)
@given(mini_answers(), st.sampled_from(["leadership", "hazard_assessment", "emergency"]))
def test_answering_one_element_never_changes_another(
    answers: list[tuple[str, str, str]], element: str
) -> None:
    protocol = load_protocol(MINI)
    before = {e.id: (e.awarded, e.possible) for e in mini_scores(answers).elements}
    target = next(x for x in protocol.questions if x.element == element)
    subject = "s9" if target.per_subject else ""
    kept = [a for a in answers if (a[0], a[1]) != (target.id, subject)]
    after = {
        e.id: (e.awarded, e.possible)
        for e in mini_scores(kept + [(target.id, subject, "yes")]).elements
    }
    for other in before:
        if other != element:
            assert after[other] == before[other]


def test_all_yes_is_one_hundred_percent() -> None:
    protocol = load_protocol(MINI)
    answers = [(x.id, "s" if x.per_subject else "", "yes") for x in protocol.questions]
    scores = mini_scores(answers)
    assert scores.percent == 100 and scores.complete and scores.passed
