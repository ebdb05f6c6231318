"""Linked-data commands: export, validate, sparql."""

from __future__ import annotations

import re
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any, Optional

import typer

from ..errors import InputError, LisgraphError
from . import Format, FormatOpt, app, emit, state

__all__ = ["ExportFormat"]


class ExportFormat(str, Enum):
    ttl = "ttl"
    jsonld = "jsonld"
    nt = "nt"
    graphml = "graphml"
    gexf = "gexf"
    csv = "csv"


@app.command()
def export(
    out: Path = typer.Option(..., "--out", "-o", metavar="FILE", help="File to write (for csv: "
                             "a .zip file, or a folder). A file is replaced atomically; a folder "
                             "only when empty or an earlier lisgraph export. Links and devices "
                             "are refused."),
    fmt: Optional[ExportFormat] = typer.Option(
        None, "--format", "-f", help="ttl, jsonld, nt (RDF with a DCAT description), graphml, "
        "gexf, or csv (neo4j-admin import files). Default: from the --out suffix."),
    force: bool = typer.Option(False, "--force", help="csv into a folder: replace the folder "
                               "even when it holds files lisgraph did not write (they are "
                               "deleted)."),
    evidence: bool = typer.Option(False, "--evidence", help="Add the evidence as W3C Data Cube "
                                  "observations (RDF formats only)."),
) -> None:
    """Write the graph as linked data or as a graph file for Gephi, networkx or Neo4j."""
    from ..files import check_target
    from ..rdf.export import RDF_FORMATS, format_for
    from ..rdf.export import export as write_export

    fmt_name = fmt.value if fmt else format_for(out)
    # refuse a bad --out before the graph is loaded
    check_target(out, folder=fmt_name == "csv" and out.suffix.lower() != ".zip")
    extra: Any = ()
    if evidence:
        if fmt_name not in RDF_FORMATS:
            raise LisgraphError(f"--evidence needs an RDF format ({', '.join(RDF_FORMATS)})")
        from ..evidence.loaders import load_evidence
        from ..rdf.datacube import datacube_triples

        extra = datacube_triples(load_evidence(state.data, state.bundled).index)
    # a snapshot of the view with --as-of
    summary = write_export(state.view(), fmt_name, out, force=force, extra=extra)
    counts = (f"{summary['triples']} triples" if "triples" in summary
              else f"{summary['nodes']} nodes, {summary['edges']} edges")
    print(f"wrote {out} ({fmt_name}: {counts})", file=sys.stderr)


@app.command()
def validate(
    files: Optional[list[Path]] = typer.Argument(
        None, metavar="FILE...", help="Files to check: RDF files (.ttl, .nt, .jsonld) are "
        "checked against the SHACL shapes; other files (CSV, folders, manifests) are loaded "
        "like --data. Omit to check the graph only."),
    fmt: Format = FormatOpt,
) -> None:
    """Check the graph and RDF files against the SHACL shapes; exit 1 if anything violates them."""
    from ..ingest import load_graph
    from ..output import render_rows
    from ..rdf.importer import RDF_SUFFIXES
    from ..rdf.validate import parse_files, validate_files, validate_graph

    files = files or []
    for f in files:  # the files first: a missing one is reported before any graph is built
        if not f.exists():
            raise InputError(f, None, None, "no such file or folder", "check the path")
    rdf = [f for f in files if f.suffix.lower() in RDF_SUFFIXES]
    other = [f for f in files if f not in rdf]
    parsed = parse_files(rdf)
    graph = None
    if other:
        graph = load_graph([*state.data, *other], bundled=state.bundled)
    elif state.bundled or state.data:
        graph = state.graph()
    if graph is None and not rdf:
        raise LisgraphError("nothing to check: give files, or drop --no-bundled")
    violations = validate_graph(graph) if graph is not None else []
    if rdf:
        violations += validate_files(rdf, context=graph, parsed=parsed)
    if fmt is Format.table:
        emit("".join(f"{v}\n" for v in violations))
    else:
        emit(render_rows([v.as_dict() for v in violations],
                         ["file", "node", "path", "message", "value"], fmt.value))
    checked = (["the graph"] if graph is not None else []) + [str(f) for f in rdf]
    if violations:
        print(f"{len(violations)} violation(s) of schema/shapes.ttl in {', '.join(checked)}",
              file=sys.stderr)
        raise typer.Exit(1)
    print(f"{', '.join(checked)}: conforms to schema/shapes.ttl", file=sys.stderr)


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _params(pairs: list[str]) -> dict[str, object]:
    """``-p name=value`` pairs as bound values; a value shaped like a date must be one."""
    params: dict[str, object] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise typer.BadParameter(f"'{pair}' is not name=value", param_hint="--param")
        if _DATE.fullmatch(value):
            try:
                params[name] = date.fromisoformat(value)
            except ValueError:
                raise LisgraphError(f"-p {name}: '{value}' is not a real date "
                                    "(YYYY-MM-DD)") from None
        else:
            params[name] = value
    return params


@app.command()
def sparql(
    query: str = typer.Argument(..., metavar="QUERY", help="A SPARQL SELECT query, or @FILE to "
                                "read it from a file (e.g. @queries/name.rq). Prefixes lis:, "
                                "lisid:, statgeo:, org:, skos:, prov:, dcterms:, rdfs: ... are "
                                "predeclared. SERVICE (federated query) is refused: queries run "
                                "offline."),
    param: list[str] = typer.Option([], "--param", "-p", metavar="NAME=VALUE",
                                    help="Bind ?name to a value: "
                                    "name=value (repeatable; YYYY-MM-DD becomes an xsd:date). "
                                    "Values are bound, never pasted into the query text."),
    fmt: Format = FormatOpt,
) -> None:
    """Run SPARQL on the embedded store (the graph as linked data, with ORG/SKOS alignment)."""
    from ..output import render_json, render_rows
    from ..rdf.alignment import linked_store

    text = query
    if query.startswith("@"):
        text = _query_file(Path(query[1:]))
    params = _params(param)
    from ..rdf.store import refuse_network

    refuse_network(text)  # before the graph is loaded
    if state.as_of is not None and "as_of" not in params and "?as_of" in text:
        params["as_of"] = state.as_of  # ?as_of is bound to the global date unless -p gives one
    day = params.get("as_of") if isinstance(params.get("as_of"), date) else state.as_of
    rows = linked_store(state.graph().at(day)).select(text, params)
    if fmt is Format.json:
        return emit(render_json(rows))
    if not rows:
        print("no rows", file=sys.stderr)
        return
    emit(render_rows(rows, list(rows[0]), fmt.value))


def _query_file(path: Path) -> str:
    """The text of a query file given as @FILE (a regular file, UTF-8)."""
    if not path.is_file():
        raise InputError(path, None, None, "no such query file (or not a regular file)",
                         "give @path/to/query.rq")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(path, None, None, f"not UTF-8 text (byte {exc.start})",
                         "save the query as UTF-8") from None
    except OSError as exc:
        raise InputError(path, None, None, f"cannot read: {exc.strerror or exc}",
                         "check the file") from None
