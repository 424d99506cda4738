"""One vocabulary: every role and answer word has its name, and every layer uses the same one."""

from __future__ import annotations

from auditkit import vocabulary
from auditkit.audit import normalise_role
from auditkit.protocol.model import load_protocol


def test_every_role_and_answer_word_has_a_name() -> None:
    assert tuple(vocabulary.ROLE_NAMES) == vocabulary.ROLES
    assert set(vocabulary.ANSWER_NAMES) == {*vocabulary.CHOICE_WORDS, vocabulary.NA}
    assert set(vocabulary.ANSWER_ALIASES.values()) <= set(vocabulary.ANSWER_NAMES)


def test_typed_roles_become_the_vocabularys() -> None:
    assert [normalise_role(r) for r in ("Senior manager", "senior-manager", "WORKER")] == [
        "senior_manager",
        "senior_manager",
        "worker",
    ]


def test_the_bundled_protocols_speak_the_vocabulary() -> None:
    for name in ("cor", "secor"):
        protocol = load_protocol(name)
        questions = protocol.questions
        assert {q.component for q in questions} == set(vocabulary.COMPONENTS)
        assert {q.subject for q in questions} == set(vocabulary.QUESTION_SUBJECTS)
        assert {m for q in questions for m in q.methods} <= set(vocabulary.METHODS)
        assert {r for q in questions for r in q.roles} <= set(vocabulary.ROLES)
        question = questions[0]
        assert vocabulary.answer_name(question, "na") == "N/A"
        assert vocabulary.answer_name(question, "3") == f"3 of {question.points} points"
