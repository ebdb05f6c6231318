"""Analyst commands: overlaps, opportunities, gaps, boundaries, path, assess, query, network."""

from __future__ import annotations

import sys
from typing import Any, Optional

import typer

from ..errors import LisgraphError
from . import AsOfOpt, Format, FormatOpt, app, as_of_date, emit, state

TopOpt = typer.Option(None, "--top", "-n", help="Show the first N rows.")
BackendOpt = typer.Option("embedded", "--backend", help="embedded (in-process, default) or neo4j "
                          "(the graph held by the server at NEO4J_URI; see `lisgraph neo4j push`).")


def _graph(backend: str, as_of: Optional[str] = None) -> Any:
    """The dated view an analysis runs on (embedded), or None for neo4j: the server answers
    (see _run) and no local graph is loaded."""
    if backend == "embedded":
        return state.view(as_of)
    if backend != "neo4j":
        raise typer.BadParameter(f"'{backend}': use embedded or neo4j", param_hint="--backend")
    if state.data or not state.bundled:
        raise typer.BadParameter("--data and --no-bundled choose local files, which --backend "
                                 "neo4j does not read: push them first (lisgraph --data ... "
                                 "neo4j push), then ask the server", param_hint="--backend")
    return None


def _run(name: str, backend: str, *args: Any, as_of: Optional[str] = None, **kwargs: Any) -> Any:
    """Analysis NAME's rows: on the dated view of the loaded graph, or on the Neo4j server
    (which resolves names, codes and themes itself and applies the date in Cypher)."""
    view = _graph(backend, as_of)
    if view is not None:
        from .. import analysis

        if kwargs.get("theme") is not None:
            kwargs["theme"] = _theme(kwargs["theme"])
        return getattr(analysis, name)(view, *args, **kwargs)
    from ..neo4j.backend import run

    return run(name, *args, as_of=as_of_date(as_of), **kwargs)


ThemeOpt = typer.Option(None, "--theme", help="Only this theme (id, label or alternative label).")
BasisOpt = typer.Option("declared", "--basis", help="declared (shared priority themes, default), "
                        "evidenced (cosine similarity of industry LQ profiles, official GVA) or "
                        "both (declared ranking with the similarity beside it).")


def _rows(rows: list[dict[str, Any]], columns: list[str], fmt: Format, empty: str) -> None:
    """Render rows; the period columns (and ``as_of``) are added when the rows carry them."""
    from ..output import render_rows

    if not rows:
        print(empty, file=sys.stderr)
    for extra in ("valid_from", "valid_to", "date_status", "as_of"):
        if extra not in columns and any(extra in r for r in rows):
            columns = [*columns, extra]
    emit(render_rows(rows, columns if fmt is not Format.json else [], fmt.value))


def _embedded(backend: str, as_of: Optional[str]) -> Any:
    if backend != "embedded":
        raise typer.BadParameter("--basis evidenced/both reads the evidence tables, which the "
                                 "Neo4j backend does not hold: use --backend embedded",
                                 param_hint="--basis")
    return _graph(backend, as_of)


def _theme(theme: Optional[str]) -> Optional[str]:
    if theme is None:
        return None
    from ..analysis.index import resolve_theme

    return resolve_theme(state.graph(), theme)


@app.command()
def overlaps(place: str = typer.Argument(..., help="A body with a strategy (name or code)."),
             top: Optional[int] = TopOpt, theme: Optional[str] = ThemeOpt,
             as_of: Optional[str] = AsOfOpt, backend: str = BackendOpt,
             fmt: Format = FormatOpt, basis: str = BasisOpt) -> None:
    """Who shares priorities with PLACE, ranked (a shared sector counts more than a shared foundation)."""
    if basis != "declared":
        from ..analysis import overlaps as run
        from .evidence import evidenced_rows

        return evidenced_rows(_embedded(backend, as_of), place, basis, top, theme, fmt, _rows,
                              run, _theme)
    rows = _run("overlaps", backend, place, top=top, theme=theme, as_of=as_of)
    _rows(rows, ["code", "name", "type", "score", "shared", "shared_themes", "also"], fmt,
          "no body shares a priority theme with that place")


@app.command()
def opportunities(place: Optional[str] = typer.Argument(None, help="Only pairs with this body."),
                  theme: Optional[str] = ThemeOpt, top: Optional[int] = TopOpt,
                  max_km: float = typer.Option(50.0, "--max-km", help="Distance that counts as near."),
                  as_of: Optional[str] = AsOfOpt, backend: str = BackendOpt,
                  fmt: Format = FormatOpt, basis: str = BasisOpt) -> None:
    """Collaboration opportunities: shared priority, near, no recorded collaboration; ranked with reasons."""
    if basis != "declared":
        from ..analysis import opportunities as run
        from .evidence import evidenced_opportunities

        return evidenced_opportunities(_embedded(backend, as_of), place, basis, top, theme,
                                       max_km, fmt, _rows, run, _theme)
    rows = _run("opportunities", backend, place, theme=theme, top=top, max_km=max_km,
                as_of=as_of)
    _rows(rows, ["a", "a_name", "b", "b_name", "score", "theme_score", "proximity",
                 "shared_themes", "reasons"], fmt, "no collaboration opportunities found")


@app.command()
def gaps(place: str = typer.Argument(..., help="A body with a strategy (name or code)."),
         as_of: Optional[str] = AsOfOpt, backend: str = BackendOpt,
         fmt: Format = FormatOpt) -> None:
    """PLACE's priority themes with no local partner, and the nearest partners who could fill them."""
    rows = _run("gaps", backend, place, as_of=as_of)
    _rows(rows, ["label", "scheme", "status", "priorities", "partners", "candidates"], fmt,
          "no priority themes")


@app.command()
def boundaries(as_of: Optional[str] = AsOfOpt, backend: str = BackendOpt,
               fmt: Format = FormatOpt) -> None:
    """Cross-boundary structure: districts in two LEPs, bodies spanning regions or authorities."""
    rows = _run("boundaries", backend, as_of=as_of)
    _rows(rows, ["kind", "code", "name", "detail", "valid_from", "valid_to"], fmt,
          "no cross-boundary structure on that date")


@app.command()
def path(a: str = typer.Argument(..., help="First node (name or code)."),
         b: str = typer.Argument(..., help="Second node (name or code)."),
         limit: int = typer.Option(3, "--limit", help="How many shortest paths."),
         via_themes: bool = typer.Option(False, "--via-themes", help="Allow paths through themes."),
         as_of: Optional[str] = AsOfOpt, backend: str = BackendOpt,
         fmt: Format = FormatOpt) -> None:
    """How two nodes are connected: the shortest paths, each step with its edge type and source."""
    paths = _run("path", backend, a, b, limit=limit, as_of=as_of,
                 skip_types=() if via_themes else ("theme",))
    rows = [dict(step, path=i, step=j) for i, p in enumerate(paths, 1) for j, step in enumerate(p, 1)]
    _rows(rows, ["path", "step", "from_name", "edge", "to_name", "sources", "valid_from",
                 "valid_to"], fmt,
          "no connection between them")


@app.command()
def assess(place: str = typer.Argument(..., help="A body with a strategy (name or code)."),
           as_of: Optional[str] = AsOfOpt, fmt: Format = FormatOpt) -> None:
    """The place's strategy checked against the policy's criteria (pass / warn / fail, with reasons)."""
    from ..analysis import assess as run
    from ..output import render_json, render_rows

    result = run(state.view(as_of), place)
    if fmt is Format.json:
        return emit(render_json(result))
    if not result["strategies"]:
        raise LisgraphError(result["message"])
    for s in result["strategies"]:
        if fmt is not Format.csv:
            head = "## " if fmt is Format.md else ""
            emit(f"{head}{s['name']} ({s['status']}, {s['date'] or 'undated'})\n")
        emit(render_rows([dict(c, strategy=s["code"]) for c in s["criteria"]],
                         ["strategy", "criterion", "result", "reason"] if fmt is Format.csv
                         else ["criterion", "result", "reason"], fmt.value))
    if fmt is not Format.csv:
        emit(f"\ncriteria: {result['policy']['title']} ({result['policy']['publisher']}, "
             f"{result['policy']['vintage']})\n")


@app.command()
def query(name: Optional[str] = typer.Argument(None, help="A named query; omit to list them."),
          param: list[str] = typer.Option([], "--param", "-p", help="key=value, repeatable; "
                                          "-p as_of=DATE wins over the global --as-of."),
          fmt: Format = FormatOpt) -> None:
    """Run a named query from queries/ (lists them when no NAME is given)."""
    from ..named import list_queries, run_query

    if name is None:
        rows = [{"name": q.name, "title": q.title,
                 "params": [f"{p.name} ({p.type})" for p in q.params]} for q in list_queries()]
        return _rows(rows, ["name", "title", "params"], fmt, "no named queries")
    given = {}
    for p in param:
        if "=" not in p:
            raise typer.BadParameter(f"'{p}': write -p key=value")
        key, value = p.split("=", 1)
        given[key.strip()] = value
    columns, rows = run_query(state.graph(), name, given, as_of=state.as_of)
    _rows(rows, list(columns), fmt, "the query returned no rows")


network = typer.Typer(help="Network views of the partner network.", no_args_is_help=True,
                      rich_markup_mode=None)
app.add_typer(network, name="network")


@network.command("brokers")
def network_brokers(top: int = typer.Option(20, "--top", "-n", help="Show the first N bodies."), as_of: Optional[str] = AsOfOpt,
                    backend: str = BackendOpt, fmt: Format = FormatOpt) -> None:
    """Bodies that bridge otherwise separate parts of the partner network (betweenness)."""
    _rows(_run("brokers", backend, top=top, as_of=as_of),
          ["code", "name", "type", "betweenness", "degree", "bridges"], fmt, "no partner network")


@network.command("communities")
def network_communities(min_similarity: float = typer.Option(
                            0.3, "--min-similarity", help="Join two bodies when the cosine "
                            "similarity of their priority themes is at least this (0-1)."),
                        as_of: Optional[str] = AsOfOpt, backend: str = BackendOpt,
                        fmt: Format = FormatOpt) -> None:
    """Communities of places with similar priorities (Louvain on theme similarity)."""
    _rows(_run("communities", backend, min_similarity=min_similarity, as_of=as_of),
          ["community", "code", "name", "type", "top_themes"], fmt, "no bodies with priorities")
