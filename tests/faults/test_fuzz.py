"""Generated protocols and generated command lines: accepted, or refused with a clear message,
never a traceback; a refused answer leaves the audit exactly as it was."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditkit.cli import main
from auditkit.protocol.model import ProtocolInvalid, load_protocol
from auditkit.store.audit_file import Store
from tests.conftest import MINI
from tests.faults.conftest import make_field_audit

PROBLEM_LINE = re.compile(r"^.+:\d+: \S.*$")
FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# -- protocols ------------------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**12),
    st.floats(),
    st.text(max_size=12),
    st.sampled_from(["range", "all-or-nothing", "none", "site", "worker", "leadership"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _mini_documents() -> dict[str, Any]:
    return {
        path.name: yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted(MINI.glob("*.yaml"))
    }


MINI_DOCS = _mini_documents()


@st.composite
def mutated_protocols(draw: st.DrawFn) -> dict[str, str]:
    """The mini protocol with a few keys changed, dropped or added, as YAML texts."""
    docs = yaml.safe_load(yaml.safe_dump(MINI_DOCS))  # a deep copy
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(sorted(docs)))
        target = docs[name]
        for nested in ("questions", "elements"):
            items = target.get(nested) if isinstance(target, dict) else None
            if isinstance(items, list) and items and draw(st.booleans()):
                target = draw(st.sampled_from(items))
                break
        if not isinstance(target, dict):
            docs[name] = draw(values)
            continue
        key = draw(st.sampled_from(sorted(target) + ["unknown_key"]))
        action = draw(st.sampled_from(["set", "drop"]))
        if action == "drop":
            target.pop(key, None)
        else:
            target[key] = draw(values)
    texts = {name: yaml.safe_dump(doc, allow_unicode=True) for name, doc in docs.items()}
    # Now and then, damage the text itself rather than the data.
    name = draw(st.sampled_from(sorted(texts)))
    texts[name] = draw(
        st.sampled_from(
            [
                texts[name],
                texts[name].replace("  ", "\t", 1),
                texts[name] + draw(st.text()),
                draw(st.text()),
                "",
                texts[name][: len(texts[name]) // 2],
                "a: &a [*a, *a]\n",
                "- &x [1]\n- [*x, *x, *x]\n",
            ]
        )
    )
    return texts


@pytest.fixture
def protocol_folder() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="fuzz-protocol-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@FUZZ
@given(texts=mutated_protocols())
def test_generated_protocols_load_or_list_their_problems(
    texts: dict[str, str], protocol_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for old in protocol_folder.iterdir():
        old.unlink()
    for name, text in texts.items():
        (protocol_folder / name).write_text(text, encoding="utf-8")
    try:
        protocol = load_protocol(protocol_folder)
    except ProtocolInvalid as exc:
        assert exc.problems
        assert all(PROBLEM_LINE.match(str(p)) and "\n" not in str(p) for p in exc.problems)
        accepted = False
    else:
        assert protocol.questions
        accepted = True
    capsys.readouterr()
    code = main(["validate", str(protocol_folder)])  # a traceback would escape here
    out, err = capsys.readouterr()
    if accepted:
        assert (code, err) == (0, "")
        assert out.startswith(f"{protocol_folder}: ok: ")
    else:
        assert code == 1 and out == ""
        assert err and all(PROBLEM_LINE.match(line) for line in err.splitlines())


# -- answers --------------------------------------------------------------------------------

QUESTIONS = ["1.D1", "5.D1", "8.D1", "8.O1", "5.O1", "1.I1", "5.I1", "5.R1"]
SUBJECTS = ["Yard", "Shop", "SM-1", "W-1", "S-1", "INC-1", "nobody"]
text = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=20)
questions = st.one_of(st.sampled_from(QUESTIONS), text)
answer_values = st.one_of(
    st.sampled_from(["yes", "no", "partial", "na", "y", "n", "p", "a", "n/a", "YES", " yes "]),
    st.integers(-3, 25).map(str),
    st.sampled_from(["1e3", "0x5", "½", "٣", "10.0", "+4"]),
    text,
)
subjects = st.one_of(st.none(), st.sampled_from(SUBJECTS), text)
notes = st.one_of(st.none(), text)


@pytest.fixture(scope="module")
def fuzz_audit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_field_audit(tmp_path_factory.mktemp("fuzz") / "fuzz.audit")


@FUZZ
@given(question=questions, value=answer_values, subject=subjects, note=notes)
def test_generated_answers_are_saved_or_refused_in_one_line(
    question: str,
    value: str,
    subject: str | None,
    note: str | None,
    fuzz_audit: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["answer", str(fuzz_audit), question, value]
    args += ["--subject", subject] if subject is not None else []
    args += ["--note", note] if note is not None else []
    with Store.open(fuzz_audit) as store:
        before = store.dump()
    capsys.readouterr()
    code = main(args)  # a traceback would escape here
    out, err = capsys.readouterr()
    if code == 0:
        assert err == "" and out.startswith(f"saved {question}")
        return
    assert code in (1, 2) and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("error: "), err
    with Store.open(fuzz_audit) as store:
        assert store.dump() == before
