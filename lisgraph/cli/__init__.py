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
    add_completion=True,  # --install-completion / --show-completion (typer loads it anyway)
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

            if self.data or not self.bundled:
                from ..ingest import load_graph

                self._graph = load_graph(self.data, bundled=self.bundled)
            else:  # the bundled graph alone: from the cache when it is current
                from ..cache import bundled_graph

                self._graph = bundled_graph()
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


def _show_version(value: bool) -> None:
    if value:
        from .. import __version__

        print(f"lisgraph {__version__}")
        raise typer.Exit()


@app.callback()
def _global(
    data: list[Path] = typer.Option([], "--data", help="Add your own source files or folders "
                                    "(CSV in lisgraph's format, ONS lookups, manifests); "
                                    "repeatable."),
    no_bundled: bool = typer.Option(False, "--no-bundled", help="Leave out the bundled data."),
    as_of: Optional[str] = AsOfOpt,
    version: bool = typer.Option(False, "--version", is_eager=True, callback=_show_version,
                                 help="Show lisgraph's version and exit."),
) -> None:
    state.data, state.bundled, state.as_of = list(data), not no_bundled, _parse_date(as_of)


def as_of_date(local: Optional[str]) -> date | None:
    return _parse_date(local) if local else state.as_of


def emit(text: str) -> None:
    """Write data to stdout: valid Unicode; on a terminal, without control or bidi characters
    (escape injection); to a file or a pipe, exactly."""
    from ..output import terminal_safe, utf8_safe

    sys.stdout.write(terminal_safe(text) if sys.stdout.isatty() else utf8_safe(text))


def main() -> None:
    """Console entry point: domain errors become one line on stderr and exit 1.

    A command is one short process building many acyclic objects (a graph, thousands of
    rows), so it runs with the cyclic garbage collector paused (:mod:`lisgraph.gcpause`:
    its passes cost as much as the building); reference counting frees the rest."""
    from ..gcpause import gc_paused

    try:
        with gc_paused():
            app()
    except LisgraphError as exc:
        from ..output import display_safe

        print(f"Error: {display_safe(str(exc))}", file=sys.stderr)
        sys.exit(1)
    except BrokenPipeError:
        sys.exit(0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)


#: Placeholders shown in help for options and arguments that take a value (instead of
#: typer's ``<str>``, ``<list[Path]>``); choices and flags show themselves. Set once, below.
METAVARS = {
    "data": "PATH", "as_of": "DATE", "out": "FILE", "files": "FILE", "param": "NAME=VALUE",
    "top": "N", "limit": "N", "depth": "N", "batch_size": "N", "writers": "N", "max_km": "KM",
    "retry_seconds": "SECONDS", "min_similarity": "SCORE", "type_": "TYPE", "theme": "THEME",
    "backend": "BACKEND", "uri": "URI", "user": "USER", "database": "NAME", "place": "PLACE",
    "a": "A", "b": "B", "name": "NAME", "query": "QUERY", "basis": "BASIS", "min_lq": "LQ",
    "indicator": "INDICATOR", "colour_by": "COLOUR",
}


def _named_arguments_untyped() -> None:
    """Typer prints an argument's Python type after its name (``PLACE <str>``) even when the
    argument has a placeholder; show the placeholder alone (tests/test_cli_help.py checks)."""
    from typer.core import TyperArgument

    typed = getattr(TyperArgument, "display_type_rich", None)
    if typed is None:  # typer before 0.29 prints no type after a placeholder
        return

    def display_type_rich(self: TyperArgument, ctx: Any) -> Any:
        return None if self.metavar else typed(self, ctx)

    TyperArgument.display_type_rich = display_type_rich  # type: ignore[method-assign]


def _set_metavars(typer_app: typer.Typer) -> None:
    """Give every option and argument named in :data:`METAVARS` its placeholder (unless it
    sets its own), across the commands and sub-groups of ``typer_app``."""
    import inspect

    from typer.models import ParameterInfo

    callbacks = [typer_app.registered_callback.callback if typer_app.registered_callback else None]
    callbacks += [c.callback for c in typer_app.registered_commands]
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _set_metavars(group.typer_instance)
    for callback in filter(None, callbacks):
        for name, param in inspect.signature(callback).parameters.items():
            info = param.default
            if isinstance(info, ParameterInfo) and info.metavar is None and name in METAVARS:
                info.metavar = METAVARS[name]


# Command groups register themselves on `app` when imported; each module keeps its heavy
# imports inside its commands. One line per module:
from . import core  # noqa: E402,F401
from . import analysis  # noqa: E402,F401
from . import viz  # noqa: E402,F401
from . import neo4j  # noqa: E402,F401
from . import linked_data  # noqa: E402,F401
from . import evidence  # noqa: E402,F401

_set_metavars(app)
_named_arguments_untyped()
