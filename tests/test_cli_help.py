"""New-user polish (issue 17, item 6): every option has help and a readable placeholder,
--version, shell completion, `validate FILE` checks FILE first, and the README's Python runs."""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer import _click as click
from typer.testing import CliRunner

import lisgraph
from lisgraph.cli import app

ROOT = Path(__file__).resolve().parent.parent
#: typer's type placeholders (``<str>``, ``<int>``, ``<list[Path]>``, ``<float range>``);
#: choices (``<table|json|csv|md>``) read as what they are and are allowed
TYPE_PLACEHOLDER = re.compile(r"<(?:str|int|float|bool|path|list\[[^\]]*\]|[a-z]+ range)>",
                              re.IGNORECASE)


def commands(command: click.Command, path: tuple[str, ...] = ()):
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from commands(sub, (*path, name))


ALL = list(commands(typer.main.get_command(app)))


def test_every_command_and_option_has_help():
    missing = []
    for path, command in ALL:
        if not (command.help or "").strip():
            missing.append(" ".join(path) or "lisgraph")
        for param in command.params:
            if not (getattr(param, "help", None) or "").strip():
                missing.append(f"{' '.join(path) or 'lisgraph'} {param.name}")
    assert missing == []
    assert len(ALL) > 20  # the walk did reach the commands


@pytest.mark.parametrize("path", [p for p, _ in ALL], ids=lambda p: " ".join(p) or "lisgraph")
def test_help_shows_no_type_placeholders(path):
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0
    assert TYPE_PLACEHOLDER.findall(result.stdout) == []


def test_placeholders_name_what_to_give():
    out = CliRunner().invoke(app, ["--help"]).stdout
    assert "--data PATH" in out and "--as-of DATE" in out
    out = CliRunner().invoke(app, ["validate", "--help"]).stdout
    assert ("[FILE...]" in out or "[FILE]..." in out) and "<list[Path]>" not in out
    out = CliRunner().invoke(app, ["export", "--help"]).stdout
    assert "-o, --out FILE" in out and "--force" in out


def test_version():
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout == f"lisgraph {lisgraph.__version__}\n"
    proc = subprocess.run([sys.executable, "-m", "lisgraph", "--version"], capture_output=True,
                          text=True, check=False, cwd=ROOT)
    assert proc.returncode == 0 and proc.stdout.strip() == f"lisgraph {lisgraph.__version__}"


def test_shell_completion_script_and_completions():
    exe = Path(sys.executable).with_name("lisgraph")
    if not exe.exists():
        pytest.skip("the lisgraph console script is not installed beside this Python")
    # Typer detects the user's shell from the process tree; a test names it instead (Typer's
    # own switch for this), so the answer does not depend on how the suite was launched
    proc = subprocess.run([str(exe), "--show-completion", "bash"], capture_output=True,
                          text=True, check=False,
                          env={**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert proc.returncode == 0 and "_LISGRAPH_COMPLETE=complete_" in proc.stdout
    env = {**os.environ, "_LISGRAPH_COMPLETE": "complete_bash", "COMP_WORDS": "lisgraph ex",
           "COMP_CWORD": "1"}
    proc = subprocess.run([str(exe)], capture_output=True, text=True, check=False, env=env)
    assert proc.stdout.split() == ["export"]
    env.update(COMP_WORDS="lisgraph export --f", COMP_CWORD="2")
    proc = subprocess.run([str(exe)], capture_output=True, text=True, check=False, env=env)
    assert set(proc.stdout.split()) == {"--format", "--force"}


def test_validate_checks_a_missing_file_before_building_the_graph(cli, tmp_path, monkeypatch):
    import lisgraph.cache as cache
    import lisgraph.ingest as ingest

    monkeypatch.setattr(ingest, "load_graph", lambda *a, **k: pytest.fail("graph was built"))
    monkeypatch.setattr(cache, "bundled_graph", lambda: pytest.fail("graph was built"))
    for name in ("missing.ttl", "missing.csv"):
        code, out, err = cli("validate", str(tmp_path / name))
        assert code == 1 and out == "" and err.count("\n") == 1
        assert f"{tmp_path / name}: no such file or folder" in err


def test_validate_reports_a_malformed_file_before_building_the_graph(cli, tmp_path,
                                                                     monkeypatch):
    pytest.importorskip("pyoxigraph")
    import lisgraph.cache as cache
    import lisgraph.ingest as ingest

    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://e/> .\nex:a ex:b .\n")
    monkeypatch.setattr(ingest, "load_graph", lambda *a, **k: pytest.fail("graph was built"))
    monkeypatch.setattr(cache, "bundled_graph", lambda: pytest.fail("graph was built"))
    code, _, err = cli("validate", str(bad))
    assert code == 1 and f"{bad}:2:" in err and err.count("\n") == 1


def test_readme_python_lines_run():
    """The README's notebook lines, as written (today `lisgraph.profile` must be the function,
    not the module it lives in)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.DOTALL)
    assert blocks, "the README has no python block"
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102
    p = namespace["p"]
    assert p["name"] == "Oxfordshire" and p["members"]
    assert all(isinstance(m["name"], str) and m["name"] for m in p["members"])
    assert namespace["nxg"].number_of_nodes() == len(namespace["g"].nodes)


def test_public_names_are_the_functions_even_after_their_modules_load():
    import lisgraph.places  # noqa: F401
    import lisgraph.profiles  # noqa: F401

    for name in ("profile", "summary", "list_places", "resolve", "load_graph"):
        assert inspect.isfunction(getattr(lisgraph, name)), name
