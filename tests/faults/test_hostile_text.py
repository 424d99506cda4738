"""Findings 4 and 12 of issue 16: terminal escapes in stored text never reach a terminal raw.

Every command that prints company names, labels, notes, authors or protocol text, every error
line, and the Markdown, HTML and CSV exports show control characters escaped (``\\x1b``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditkit.cli import main
from tests.hostile import CLICK, CLOSE, RAW, build_hostile


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    return build_hostile(tmp_path)


@pytest.mark.parametrize(
    "args",
    [
        ["profile"],
        ["sample"],
        ["log"],
        ["evidence", "list"],
        ["questions"],
        ["score"],
        ["recommend"],
        ["verify"],
    ],
    ids=lambda a: " ".join(a),
)
def test_commands_print_control_characters_escaped(
    hostile: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    if args == ["evidence", "list"]:
        photo = hostile.parent / "photo.jpg"
        photo.write_bytes(b"\xff\xd8\xff\xe0 a photo")
        assert (
            main(
                [
                    "evidence",
                    "add",
                    str(hostile),
                    "8.O1",
                    str(photo),
                    "--subject",
                    CLICK,
                    "--caption",
                    "cap \x1b]52;c;eA==\x07",
                ]
            )
            == 0
        )
        capsys.readouterr()
    extra = ["--add", "Toolbox talk \x1b]52;c;eA==\x07"] if args == ["recommend"] else []
    code, out, err = run(capsys, *args, hostile, *extra)
    assert code == 0, err
    for raw in RAW:
        assert raw not in out + err, f"{args}: raw {raw!r} printed"
    if args != ["verify"]:
        assert "\\x1b" in out  # shown escaped, so the auditor still sees something is there


def test_json_output_stays_json_with_the_same_values(
    hostile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "questions", hostile, "--json")
    assert code == 0
    assert not any(raw in out for raw in RAW)
    texts = [q["text"] for q in json.loads(out)]
    assert "Are kits \x1b]52;c;ZXZpbA==\x07 present [/x]?" in texts


def test_an_error_naming_a_hostile_label_is_one_escaped_line(
    hostile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "subject", "add", hostile, "--kind", "site", "--label", CLICK)
    assert code == 1
    assert err.startswith("error: ") and err.count("\n") == 1
    code, out, err = run(
        capsys, "answer", hostile, "8.O1", "yes", "--subject", "Gate \x1b]0;owned\x07\nerror: fake"
    )
    assert code == 1
    assert err.count("\n") == 1 and "\x1b" not in err and "\\x1b]0;owned" in err


@pytest.mark.parametrize("fmt", ["md", "html", "csv"])
def test_text_exports_carry_no_raw_control_characters(
    hostile: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    target = hostile.with_suffix(f".{fmt}")
    code, _, err = run(capsys, "export", hostile, "--format", fmt, "-o", target)
    assert code == 0, err
    text = target.read_text(encoding="utf-8-sig")
    for raw in RAW:
        assert raw not in text, f"{fmt}: raw {raw!r}"
    assert "\\x1b" in text  # shown escaped, still there
    assert CLOSE in text or "\\[/x\\]" in text or "[/x\\]" in text
