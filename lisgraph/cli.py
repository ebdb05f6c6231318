"""The `lisgraph` command: a thin layer that parses options, calls the library and renders."""

from __future__ import annotations

import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any, Optional

import typer

from .errors import LisgraphError

__all__ = ["app", "main"]

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
            from .ingest import load_graph

            self._graph = load_graph(self.data, bundled=self.bundled)
        return self._graph


state = _State()


def _parse_date(value: Optional[str]) -> Optional[date]:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a date: write YYYY-MM-DD") from None


FormatOpt = typer.Option(Format.table, "--format", "-f", help="Output format.")
AsOfOpt = typer.Option(None, "--as-of", help="Only what was valid on this date (YYYY-MM-DD).")


@app.callback()
def _global(
    data: list[Path] = typer.Option([], "--data", help="Add your own source files or folders "
                                    "(CSV in lisgraph's format, ONS lookups, manifests)."),
    no_bundled: bool = typer.Option(False, "--no-bundled", help="Leave out the bundled data."),
    as_of: Optional[str] = AsOfOpt,
) -> None:
    state.data, state.bundled, state.as_of = list(data), not no_bundled, _parse_date(as_of)


def _as_of(local: Optional[str]) -> date | None:
    return _parse_date(local) if local else state.as_of


def _emit(text: str) -> None:
    sys.stdout.write(text)


@app.command()
def info(fmt: Format = FormatOpt) -> None:
    """What the graph holds: counts by type, and the sources with their vintages."""
    from .output import render_json, render_rows
    from .profile import summary

    s = summary(state.graph())
    if fmt is Format.json:
        return _emit(render_json(s))
    counts = [{"kind": "node", "type": k, "count": v} for k, v in s["nodes"].items()]
    counts += [{"kind": "edge", "type": k, "count": v} for k, v in s["edges"].items()]
    if fmt is Format.csv:
        return _emit(render_rows(counts, ["kind", "type", "count"], "csv"))
    title = "## " if fmt is Format.md else ""
    _emit(f"{title}lisgraph: {s['total_nodes']} nodes, {s['total_edges']} edges\n\n")
    _emit(render_rows(counts, ["kind", "type", "count"], fmt.value))
    _emit(f"\n{title}Sources ({len(s['sources'])})\n\n")
    _emit(render_rows(s["sources"], ["id", "publisher", "vintage", "licence", "records"], fmt.value))


@app.command()
def places(
    type_: list[str] = typer.Option([], "--type", "-t", help="Node type(s), e.g. lep, district, "
                                    "combined_authority, partnership, provider, strategy, theme."),
    fmt: Format = FormatOpt,
    as_of: Optional[str] = AsOfOpt,
) -> None:
    """List places, bodies and partners (of a type)."""
    from .output import render_rows
    from .profile import list_places

    g = state.graph()
    aliases = {"la": "district", "lad": "district", "ca": "combined_authority",
               "university": "provider", "universities": "provider"}
    types = tuple(aliases.get(t.lower(), t.lower().replace("-", "_")) for t in type_)
    unknown = [t for t in types if t not in g.schema.nodes]
    if unknown:
        raise LisgraphError(f"unknown type '{unknown[0]}'; types are: {', '.join(g.schema.nodes)}")
    rows = list_places(g, types, _as_of(as_of))
    if not rows:
        print("no places of that type" + (" on that date" if _as_of(as_of) else ""), file=sys.stderr)
    _emit(render_rows(rows, ["code", "name", "type", "valid_from", "valid_to"], fmt.value)
          if fmt is not Format.json else render_rows(rows, [], "json"))


SECTIONS = ("members", "member_of", "located_in", "located_here", "neighbours", "partners",
            "predecessors", "successors")


@app.command()
def show(
    place: str = typer.Argument(..., help="A GSS code, UKPRN, id or name (case-insensitive)."),
    fmt: Format = FormatOpt,
    as_of: Optional[str] = AsOfOpt,
) -> None:
    """One profile: area, members, memberships, strategy, priorities, partners, sources."""
    from .output import render_json, render_rows
    from .places import resolve
    from .profile import profile

    g = state.graph()
    p = profile(g, resolve(g, place), _as_of(as_of))
    if fmt is Format.json:
        return _emit(render_json(p))
    cols = ["code", "name", "type", "valid_from", "valid_to"]
    if fmt is Format.csv:
        rows = [dict(r, section=s) for s in SECTIONS for r in p[s]]
        return _emit(render_rows(rows, ["section", *cols, "sources"], "csv"))
    h = "## " if fmt is Format.md else ""
    _emit(f"{h}{p['name']} ({p['code']}, {p['type']})" + (f" as of {p['as_of']}" if p["as_of"] else "")
          + "\n")
    for k, v in p["properties"].items():
        _emit(f"  {k}: {', '.join(map(str, v)) if isinstance(v, list) else v}\n")
    for section in SECTIONS:
        if p[section]:
            _emit(f"\n{h}{section.replace('_', ' ')} ({len(p[section])})\n")
            _emit(render_rows(p[section], cols, fmt.value))
    for s in p["strategies"]:
        _emit(f"\n{h}strategy: {s['name']} ({s.get('status', '')}, {s.get('date') or 'undated'})\n")
        rows = [{"priority": x["name"], "themes": [t["name"] for t in x["themes"]]}
                for x in s["priorities"]]
        _emit(render_rows(rows, ["priority", "themes"], fmt.value))
    _emit(f"\n{h}sources ({len(p['sources'])})\n")
    _emit(render_rows(p["sources"], ["id", "publisher", "title", "vintage"], fmt.value))


def main() -> None:
    """Console entry point: domain errors become one line on stderr and exit 1."""
    try:
        app()
    except LisgraphError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        sys.exit(1)
    except BrokenPipeError:
        sys.exit(0)
