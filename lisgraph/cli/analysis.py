"""Analyst commands: overlaps, opportunities, gaps, boundaries, path, assess, query, network."""

from __future__ import annotations

import sys
from typing import Any, Optional

import typer

from ..errors import LisgraphError
from . import AsOfOpt, Format, FormatOpt, app, as_of_date, emit, state



def _at_least_one(value: Optional[int]) -> Optional[int]:
    if value is not None and value < 1:
        raise typer.BadParameter(f"{value} is not a count: give 1 or more")
    return value


def _positive_km(value: Optional[float]) -> Optional[float]:
    import math

    if value is not None and (not math.isfinite(value) or value <= 0):
        raise typer.BadParameter(f"{value} is not a distance: give kilometres above 0")
    return value


def _similarity(value: float) -> float:
    import math

    if not math.isfinite(value) or not 0 < value <= 1:
        raise typer.BadParameter(f"{value} is not a similarity: give a number above 0 and at most 1")
    return value


TopOpt = typer.Option(None, "--top", "-n", help="Show the first N rows (1 or more).",
                      callback=_at_least_one)
MaxKmOpt = typer.Option(50.0, "--max-km", help="Distance that counts as near (km, above 0).",
                        callback=_positive_km)
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
    from ..neo4j.backend import BEHIND, run

    if name in BEHIND:  # two backends must not give two different rankings for one question
        raise LisgraphError(f"{name} --backend neo4j {BEHIND[name]}, unlike the embedded engine: "
                            "use --backend embedded until the server-side twin is updated")
    return run(name, *args, as_of=as_of_date(as_of), **kwargs)


def _embedded(backend: str, as_of: Optional[str]) -> Any:
    if backend == "neo4j":
        raise LisgraphError("--basis evidenced/both compares GVA-by-industry profiles, which are "
                            "not on the Neo4j server (a push sends the graph and the indicator "
                            "observations only): use --backend embedded")
    return _graph(backend, as_of)


ThemeOpt = typer.Option(None, "--theme", help="Only this theme (id, label or alternative label).")
BasisOpt = typer.Option("declared", "--basis", metavar="BASIS", help="declared (shared priority themes, default), "
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
    """Who shares priorities with PLACE, ranked (themes weighted by scheme and distinctiveness),
    with which of PLACE's priorities meets which of theirs."""
    if basis != "declared":
        from ..analysis import overlaps as run
        from .evidence import evidenced_rows

        return evidenced_rows(_embedded(backend, as_of), place, basis, top, theme, fmt, _rows,
                              run, _theme)
    rows = _run("overlaps", backend, place, top=top, theme=theme, as_of=as_of)
    if fmt is not Format.json:  # one cell: "our priority -> their priority (themes)"
        rows = [dict(r, meets=[f"{m['ours']} -> {m['theirs']} ({', '.join(m['themes'])})"
                               for m in r.get("meets", [])]) for r in rows]
    _rows(rows, ["code", "name", "type", "score", "shared", "shared_themes", "meets", "also"], fmt,
          "no body shares a priority theme with that place")


@app.command()
def opportunities(place: Optional[str] = typer.Argument(None, help="Only pairs with this body."),
                  theme: Optional[str] = ThemeOpt, top: Optional[int] = TopOpt,
                  max_km: float = MaxKmOpt,
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
                 "shared_themes", "reasons", "distance_km", "also"], fmt,
          "no collaboration opportunities found")


@app.command()
def gaps(place: str = typer.Argument(..., help="A body with a strategy (name or code)."),
         max_km: float = MaxKmOpt, as_of: Optional[str] = AsOfOpt, backend: str = BackendOpt,
         fmt: Format = FormatOpt) -> None:
    """PLACE's priority themes with no recorded partner: capability located in PLACE, and the
    nearest bodies recorded on the theme (within --max-km) who could fill them."""
    rows = _run("gaps", backend, place, max_km=max_km, as_of=as_of)
    if fmt is Format.json:
        return _rows(rows, [], fmt, "no priority themes")
    flat = []  # one row per candidate (a theme without candidates is one row)
    for r in rows:
        base = dict(r, capability=[f"{c['name']} ({c['code']})" for c in r["capability"]])
        del base["candidates"]
        for c in r["candidates"] or [None]:
            flat.append(dict(base, candidate=c and c["code"], candidate_name=c and c["name"],
                             distance_km=c and c["distance_km"],
                             recorded_with=c and c["recorded_with"], also=c and c["also"]))
    _rows(flat, ["label", "scheme", "status", "priorities", "partners", "capability",
                 "candidate", "candidate_name", "distance_km", "recorded_with", "also", "note"],
          fmt,
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
         limit: int = typer.Option(3, "--limit", help="How many paths (1 or more), each a "
                                   "route of its own.", callback=_at_least_one),
         via_themes: bool = typer.Option(False, "--via-themes", help="Allow paths through themes."),
         as_of: Optional[str] = AsOfOpt, backend: str = BackendOpt,
         fmt: Format = FormatOpt) -> None:
    """How two nodes are connected: the shortest paths, each step with its edge type and source."""
    paths = _run("path", backend, a, b, limit=limit, as_of=as_of,
                 skip_types=() if via_themes else ("theme",))
    rows = [dict(step, path=i, step=j) for i, p in enumerate(paths, 1) for j, step in enumerate(p, 1)]
    _rows(rows, ["path", "step", "from_name", "edge", "to_name", "cost", "sources", "valid_from",
                 "valid_to"], fmt,
          "no connection between them")


@app.command()
def assess(place: str = typer.Argument(..., help="A body with a strategy (name or code)."),
           as_of: Optional[str] = AsOfOpt, fmt: Format = FormatOpt) -> None:
    """The place's strategy checked against the policy's criteria (pass / warn / fail / unknown,
    with reasons, thresholds and what each result rests on)."""
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
            agreed = "agreed with Government" if s.get("agreed") else "NOT agreed with Government"
            emit(f"{head}{s['name']} ({s['status']}, {agreed}, {s['date'] or 'undated'})\n")
        emit(render_rows([dict(c, strategy=s["code"], status=s["status"]) for c in s["criteria"]],
                         ["strategy", "status", "criterion", "result", "reason", "basis",
                          "threshold"] if fmt is Format.csv
                         else ["criterion", "result", "reason", "basis"], fmt.value))
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
def network_brokers(top: int = typer.Option(20, "--top", "-n", help="Show the first N bodies "
                                            "(1 or more).", callback=_at_least_one),
                    as_of: Optional[str] = AsOfOpt, backend: str = BackendOpt,
                    fmt: Format = FormatOpt) -> None:
    """Bodies that bridge otherwise separate parts of the partner network (betweenness)."""
    _rows(_run("brokers", backend, top=top, as_of=as_of),
          ["code", "name", "type", "betweenness", "degree", "bridges"], fmt, "no partner network")


@network.command("communities")
def network_communities(min_similarity: float = typer.Option(
                            0.3, "--min-similarity", help="Join bodies whose theme similarity "
                            "is at least this (above 0, at most 1).", callback=_similarity),
                        as_of: Optional[str] = AsOfOpt, backend: str = BackendOpt,
                        fmt: Format = FormatOpt) -> None:
    """Communities of places with similar priorities (Louvain on theme similarity, fixed seed),
    each body with its own themes and whether it keeps its community across thresholds."""
    from ..analysis.network import STABILITY_THRESHOLDS

    rows = _run("communities", backend, min_similarity=min_similarity, as_of=as_of)
    if rows:
        print(f"stability: {rows[0]['stability']:.0%} of bodies keep their community across "
              f"--min-similarity {' / '.join(f'{t:g}' for t in STABILITY_THRESHOLDS)}",
              file=sys.stderr)
    _rows(rows, ["community", "code", "name", "type", "themes", "also", "stable"], fmt,
          "no bodies with priorities")
