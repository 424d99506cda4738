"""Scoring of the second edition: criteria combining parts, cascades, yes-no indicators."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from auditkit.protocol.model import Protocol, load_protocol
from auditkit.rules.scoring import (
    Given,
    Scores,
    item_questions,
    score,
    score_item,
    scores_to_json,
)
from tests.conftest import FIXTURES

MECHANICS = load_protocol(FIXTURES / "mechanics")


def scored(answers: list[tuple[str, str, str]], protocol: Protocol = MECHANICS) -> Scores:
    return score(protocol, [Given(*a) for a in answers], "certification")


POLICY_OK = [("1.1-D", "", "yes"), ("1.1-I", "w1", "yes"), ("1.1-I", "w2", "no")]


def test_a_criterion_averages_its_parts_and_is_scored_once() -> None:
    scores = scored(POLICY_OK)
    policy = scores.items["1.1"]
    # documentation 100 %, interviews 1 of 2 positive = 50 %: average 75 % of 10 points
    assert (policy.status, policy.awarded, policy.possible) == ("scored", 8, 10)
    assert policy.compliance == Fraction(3, 4)
    assert [p.question.id for p in policy.parts] == ["1.1-D", "1.1-I"]
    assert scores.questions["1.1-I"].compliance == Fraction(1, 2)
    assert (scores.questions["1.1-I"].awarded, scores.questions["1.1-I"].possible) == (0, 0)
    assert scores.total == 7  # 4 criteria and 3 stand-alone questions, not 10 questions
    assert scores.answered == 1
    assert scores_to_json(scores)["questions"] == 7


def test_a_criterion_is_unanswered_until_every_part_is() -> None:
    scores = scored([("1.1-D", "", "yes")])
    assert scores.items["1.1"].status == "unanswered"
    assert (scores.awarded, scores.possible) == (0, 0)


def test_wholly_na_parts_are_left_out_and_all_na_is_na() -> None:
    base = [("2.1-D", "", "yes"), ("2.2-D", "", "partial")]
    scores = scored([*base, ("2.2-O", "yard", "na")])
    assert scores.items["2.2"].compliance == Fraction(1, 2)  # the N/A observation left out
    assert (
        scored([("2.1-D", "", "yes"), ("2.2-D", "", "na"), ("2.2-O", "yard", "na")])
        .items["2.2"]
        .status
        == "na"
    )


def test_combine_all_takes_the_lowest_part_and_any_the_highest() -> None:
    answers = [("2.1-D", "", "yes"), ("2.2-D", "", "yes"), ("2.2-O", "yard", "no")]
    assert scored(answers).items["2.2"].awarded == 0  # all: the observation failed
    answers = [("2.3-D", "", "no"), ("2.3-I", "w1", "yes")]
    assert scored(answers).items["2.3"].awarded == 10  # any: one technique verified it


def test_parent_with_zero_points_scores_its_dependants_zero_whatever_their_answers() -> None:
    answers = [
        ("2.1-D", "", "no"),  # no hazard assessment: all-or-nothing 0 of 10
        ("2.2-D", "", "yes"),
        ("2.2-O", "yard", "yes"),
        ("2.4", "", "yes"),
        ("2.5", "yard", "yes"),
    ]
    scores = scored(answers)
    for item in ("2.2", "2.4"):
        result = scores.items[item]
        assert (result.status, result.awarded, result.possible, result.cascaded) == (
            "scored",
            0,
            10,
            "2.1",
        )
    assert scores.questions["2.2-O"].cascaded == "2.1"
    na = scores.items["2.5"]  # cascade: na
    assert (na.status, na.awarded, na.possible, na.cascaded) == ("na", 0, 0, "2.1")
    element = next(e for e in scores.elements if e.id == "hazard_assessment")
    assert (element.awarded, element.possible) == (0, 30)


def test_a_cascaded_item_counts_as_answered_without_answers() -> None:
    scores = scored([("2.1-D", "", "no")])
    assert scores.items["2.2"].status == "scored" and scores.items["2.4"].status == "scored"
    assert scores.items["2.5"].status == "na"
    assert scores.answered == 4


def test_parent_with_points_leaves_dependants_their_own_score() -> None:
    scores = scored([("2.1-D", "", "yes"), ("2.4", "", "partial")])
    assert (scores.items["2.4"].awarded, scores.items["2.4"].cascaded) == (5, "")


def test_parent_na_makes_the_dependant_na() -> None:
    parent_na = dataclasses.replace(
        MECHANICS,
        checklists=tuple(
            dataclasses.replace(
                c,
                questions=tuple(
                    dataclasses.replace(q, na=True) if q.id == "2.1-D" else q for q in c.questions
                ),
            )
            for c in MECHANICS.checklists
        ),
    )
    scores = scored([("2.1-D", "", "na"), ("2.4", "", "yes")], parent_na)
    assert scores.items["2.1"].status == "na"
    assert (scores.items["2.4"].status, scores.items["2.4"].cascaded) == ("na", "2.1")


# -- properties --------------------------------------------------------------------------


@st.composite
def mechanics_answers(draw: st.DrawFn) -> list[tuple[str, str, str]]:
    result = []
    for question in MECHANICS.questions:
        if not draw(st.booleans()):
            continue
        subjects = ["s1", "s2", "s3"] if question.per_subject else [""]
        choices = ["yes", "no", "na"] if question.yes_no else ["yes", "no", "partial", "na"]
        for subject in subjects[: draw(st.integers(1, len(subjects)))]:
            if question.accepts_points and draw(st.booleans()):
                value = str(draw(st.integers(0, question.points)))
            else:
                value = draw(st.sampled_from(choices))
            result.append((question.id, subject, value))
    return result


def without_cascades(protocol: Protocol) -> Protocol:
    return dataclasses.replace(
        protocol,
        criteria=tuple(dataclasses.replace(c, depends_on="") for c in protocol.criteria),
        checklists=tuple(
            dataclasses.replace(
                c, questions=tuple(dataclasses.replace(q, depends_on="") for q in c.questions)
            )
            for c in protocol.checklists
        ),
    )


def with_combine(protocol: Protocol, combine: str) -> Protocol:
    return dataclasses.replace(
        protocol, criteria=tuple(dataclasses.replace(c, combine=combine) for c in protocol.criteria)
    )


@settings(max_examples=200, deadline=None)
@given(mechanics_answers())
def test_a_cascade_never_raises_awarded_points(answers: list[tuple[str, str, str]]) -> None:
    cascaded, free = scored(answers), scored(answers, without_cascades(MECHANICS))
    assert free.items["2.4"].cascaded == ""
    assert cascaded.awarded <= free.awarded
    for item_id, result in cascaded.items.items():
        if result.status != "unanswered" and free.items[item_id].status != "unanswered":
            assert result.awarded <= free.items[item_id].awarded


@settings(max_examples=200, deadline=None)
@given(mechanics_answers())
def test_combine_all_never_beats_average_and_average_never_beats_any(
    answers: list[tuple[str, str, str]],
) -> None:
    plain = without_cascades(MECHANICS)  # so a parent's combine does not move a dependant
    low, mid, high = (
        scored(answers, with_combine(plain, how)) for how in ("all", "average", "any")
    )
    for criterion in MECHANICS.criteria:
        a, b, c = (s.items[criterion.id] for s in (low, mid, high))
        assert a.status == b.status == c.status
        if a.compliance is not None:
            assert a.compliance <= b.compliance <= c.compliance  # type: ignore[operator]
            assert a.awarded <= b.awarded <= c.awarded
    assert low.awarded <= mid.awarded <= high.awarded


@settings(max_examples=200, deadline=None)
@given(mechanics_answers())
def test_mechanics_awarded_never_exceeds_possible(answers: list[tuple[str, str, str]]) -> None:
    scores = scored(answers)
    assert 0 <= scores.awarded <= scores.possible
    assert scores.possible <= MECHANICS.item_points()
    for element in scores.elements:
        assert 0 <= element.awarded <= element.possible


@settings(max_examples=100, deadline=None)
@given(mechanics_answers())
def test_one_item_scored_alone_matches_the_whole_audit(answers: list[tuple[str, str, str]]) -> None:
    # ``answer`` checks a parent with score_item over the answers to its chain only.
    scores = scored(answers)
    for item_id, result in scores.items.items():
        chain = set(item_questions(MECHANICS, item_id))
        alone = score_item(MECHANICS, [Given(*a) for a in answers if a[0] in chain], item_id)
        assert alone == result
