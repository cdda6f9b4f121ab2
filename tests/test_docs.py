"""Docs are tested like code: the README's quick start, CI, help texts, message codes."""

from __future__ import annotations

import re
from pathlib import Path

from toolkit.cli import cli
from toolkit.messages import CATALOGUE

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _quick_start() -> list[str]:
    section = README.split("## Quick start", 1)[1]
    block = re.search(r"```[a-z]*\n(.*?)```", section, re.S)
    assert block, "the quick start has no code block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_is_exactly_two_commands() -> None:
    install_demo, install_test = _quick_start()
    assert "mentorkit demo" in install_demo
    assert '".[test]"' in install_test and "pytest" in install_test


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = _quick_start()[1].replace("python3 -m pip install ", "")
    assert test_command.split("&&")[1].strip() in ci
    assert "ruff check" in ci and "ruff format --check" in ci


def test_every_command_in_the_readme_exists() -> None:
    snippets = re.findall(r"```[a-z]*\n(.*?)```", README, re.S)
    snippets += re.findall(r"`([^`\n]+)`", README)
    lines = [line for snippet in snippets for line in snippet.splitlines()]
    used = {m for line in lines for m in re.findall(r"\bmentorkit ([a-z]+)", line)}
    assert used <= set(cli.commands), used - set(cli.commands)


def test_every_message_code_is_tested() -> None:
    tests = "".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_*.py")
        if p.name != "test_docs.py"
    )  # fmt: skip
    untested = [code for code in CATALOGUE if f'"{code}"' not in tests]
    assert untested == []


def test_every_message_says_what_to_do() -> None:
    for code, spec in CATALOGUE.items():
        assert spec.todo.endswith("."), code
        assert re.fullmatch(r"(CFG|FWK|ROS|MAT|FIL|IDN|VAL|SYN|REV|EXP|PIC|SMP)\d{3}", code)
