"""The `lisgraph` command: a thin layer that parses options, calls the library and renders.

Each group of commands lives in its own module and registers itself on :data:`app`.
"""

from __future__ import annotations

import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any, Optional

import typer

from ..errors import LisgraphError

__all__ = ["app", "main", "state", "Format", "FormatOpt", "AsOfOpt", "emit", "as_of_date"]

app = typer.Typer(
    help="lisgraph: England's places, the bodies that govern them, their partners and their "
    "Local Industrial Strategies, as one knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: importing rich would triple start-up time
)


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


class _State:
    data: list[Path] = []
    bundled: bool = True
    as_of: date | None = None
    _graph: Any = None

    def graph(self) -> Any:
        if self._graph is None:
            from .. import places
            from ..ingest import load_graph

            self._graph = load_graph(self.data, bundled=self.bundled)
            places.on_choice = lambda note: print(f"note: {note}", file=sys.stderr)
        return self._graph

    def view(self, local: Optional[str] = None) -> Any:
        """The dated view every command reads: the command's own --as-of, else the global
        one; without either, the undated view (answers then give each row's period)."""
        return self.graph().at(as_of_date(local))


state = _State()


def _parse_date(value: Optional[str]) -> Optional[date]:
    if value is None:
        return None
    from ..view import parse_day

    try:
        return parse_day(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


FormatOpt = typer.Option(Format.table, "--format", "-f", help="Output format.")
AsOfOpt = typer.Option(None, "--as-of", help="Only what was valid on this date (YYYY-MM-DD or "
                       "today); overrides the global --as-of.")


@app.callback()
def _global(
    data: list[Path] = typer.Option([], "--data", help="Add your own source files or folders "
                                    "(CSV in lisgraph's format, ONS lookups, manifests)."),
    no_bundled: bool = typer.Option(False, "--no-bundled", help="Leave out the bundled data."),
    as_of: Optional[str] = AsOfOpt,
) -> None:
    state.data, state.bundled, state.as_of = list(data), not no_bundled, _parse_date(as_of)


def as_of_date(local: Optional[str]) -> date | None:
    return _parse_date(local) if local else state.as_of


def emit(text: str) -> None:
    sys.stdout.write(text)


def main() -> None:
    """Console entry point: domain errors become one line on stderr and exit 1."""
    try:
        app()
    except LisgraphError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        sys.exit(1)
    except BrokenPipeError:
        sys.exit(0)


# Command groups register themselves on `app` when imported; each module keeps its heavy
# imports inside its commands. One line per module:
from . import core  # noqa: E402,F401
from . import analysis  # noqa: E402,F401
from . import viz  # noqa: E402,F401
from . import neo4j  # noqa: E402,F401
from . import linked_data  # noqa: E402,F401
