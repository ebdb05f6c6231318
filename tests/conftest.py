"""Shared fixtures: the bundled graph (built once), paths to reference data, a CLI runner."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("LISGRAPH_SHARED", ROOT.parent / "shared" / "data"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def bundled():
    from lisgraph import load_graph

    return load_graph()


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "derived").is_dir():
        pytest.skip(f"reference data not found at {SHARED}: put the shared/ folder beside the "
                    "repository or set LISGRAPH_SHARED=/path/to/shared/data")
    return SHARED


@pytest.fixture
def cli():
    """Run the CLI in-process; returns (exit code, stdout, stderr)."""
    from typer.testing import CliRunner

    from lisgraph import cli as cli_module

    def run(*args: str) -> tuple[int, str, str]:
        cli_module.state._graph = None
        runner = CliRunner()
        result = runner.invoke(cli_module.app, list(args))
        if result.exception and not isinstance(result.exception, SystemExit):
            from lisgraph.errors import LisgraphError

            if isinstance(result.exception, LisgraphError):
                return 1, result.stdout, f"Error: {result.exception}\n"
            raise result.exception
        return result.exit_code, result.stdout, result.stderr

    return run
