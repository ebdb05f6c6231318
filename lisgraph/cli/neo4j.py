"""`lisgraph neo4j push|query|status`: the Neo4j backend from the command line.

The connection comes from ``--uri``/``--user`` or ``NEO4J_URI``/``NEO4J_USER``, the password
only from ``NEO4J_PASSWORD`` (an option would show it in the process list). The driver is
imported inside the commands, so `lisgraph --help` does not pay for it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Optional

import typer

from . import Format, FormatOpt, app, emit, state

__all__ = ["neo4j_app"]

neo4j_app = typer.Typer(
    help="The Neo4j backend: push the graph to a server, run named Cypher queries, compare. "
    "Connection: NEO4J_URI (default bolt://127.0.0.1:7687), NEO4J_USER (neo4j), "
    "NEO4J_PASSWORD (default: the local server's, see scripts/neo4j-server.sh).",
    no_args_is_help=True,
)
app.add_typer(neo4j_app, name="neo4j")

UriOpt = typer.Option(None, "--uri", help="Bolt URI (default: $NEO4J_URI or "
                      "bolt://127.0.0.1:7687).")
UserOpt = typer.Option(None, "--user", help="User name (default: $NEO4J_USER or neo4j); the "
                       "password is read from $NEO4J_PASSWORD.")
DatabaseOpt = typer.Option(None, "--database", help="Database (default: $NEO4J_DATABASE or "
                           "the server's default).")


def _connect(uri: Optional[str], user: Optional[str], database: Optional[str],
             retry_seconds: Optional[float] = None) -> Any:
    from ..neo4j.backend import quiet_driver
    from ..neo4j.connection import connect

    quiet_driver()

    return connect(uri=uri, user=user, database=database, retry_seconds=retry_seconds)


EvidenceOpt = typer.Option(True, "--evidence/--no-evidence", help="Push (or compare) the "
                           "evidence observations as :Observation nodes (bundled, or your --data "
                           "evidence files).")


def _evidence(on: bool) -> Any:
    """The observations `show` reads (bundled, or the --data evidence files), or None."""
    if not on:
        return None
    from .evidence import _state_index

    return _state_index()


@neo4j_app.command()
def push(
    wipe: bool = typer.Option(False, "--wipe", help="Delete lisgraph's nodes first (other data "
                              "in the database stays)."),
    batch_size: int = typer.Option(5000, "--batch-size", min=1, help="Rows per transaction."),
    writers: int = typer.Option(3, "--writers", min=1, help="Transactions in flight at a time "
                                "(1: one after another; a batch that deadlocks with another is "
                                "retried)."),
    retry_seconds: float = typer.Option(10.0, "--retry-seconds", min=0, help="How long a batch "
                                        "is retried while the server is unavailable or it "
                                        "deadlocked."),
    evidence: bool = EvidenceOpt,
    fmt: Format = FormatOpt,
    uri: Optional[str] = UriOpt, user: Optional[str] = UserOpt,
    database: Optional[str] = DatabaseOpt,
) -> None:
    """Load the graph (and the evidence observations) into Neo4j (UNWIND batches: CREATE what
    the server does not hold, MERGE the rest; idempotent) and show the counts."""
    from ..neo4j.projection import project_in_stages
    from ..neo4j.push import push_projection
    from ..output import render_json, render_rows

    if state.as_of is not None:
        raise typer.BadParameter("neo4j push loads the whole dated graph (the server answers "
                                 "dated questions): drop --as-of", param_hint="--as-of")
    # connect and check the server before loading the local graph (which can take minutes)
    with _connect(uri, user, database, retry_seconds) as conn:
        conn.server_version()
        # the relationships are projected while the nodes are written
        rows, pending = project_in_stages(state.graph(), _evidence(evidence))
        total = rows.node_count + rows.relationship_count + pending.count
        with typer.progressbar(length=total, label=f"pushing to {conn.settings.where}",
                               file=sys.stderr, show_pos=True) as bar:
            summary = push_projection(conn, rows, wipe_first=wipe, batch_size=batch_size,
                                      writers=writers, pending=pending,
                                      progress=lambda done, _: bar.update(done - bar.pos))
    same = all(r["pushed"] == r["in_neo4j"] for r in summary.rows())
    print(f"pushed {summary.nodes} nodes and {summary.relationships} relationships to "
          f"{summary.uri} in {summary.seconds:.1f} s ({summary.rate:,.0f} per second, "
          f"{summary.batches} batches), removed {summary.removed_nodes} nodes and "
          f"{summary.removed_relationships} relationships no longer in the local graph; "
          "Neo4j holds " + ("the same counts" if same else "different counts: see the table"),
          file=sys.stderr)
    if fmt is Format.json:
        return emit(render_json({"uri": summary.uri, "nodes": summary.nodes,
                                 "relationships": summary.relationships,
                                 "seconds": round(summary.seconds, 3), "batches": summary.batches,
                                 "wiped": summary.wiped, "digest": summary.digest,
                                 "removed_nodes": summary.removed_nodes,
                                 "removed_relationships": summary.removed_relationships,
                                 "counts": summary.rows()}))
    emit(render_rows(summary.rows(), ["kind", "name", "pushed", "in_neo4j"], fmt.value))
    if not same:
        raise typer.Exit(1)


@neo4j_app.command()
def query(
    name: Optional[str] = typer.Argument(None, help="A named query with a Cypher twin; omit to "
                                         "list them."),
    param: list[str] = typer.Option([], "--param", "-p", help="key=value (places and themes "
                                    "by name or code; dates YYYY-MM-DD)."),
    fmt: Format = FormatOpt,
    uri: Optional[str] = UriOpt, user: Optional[str] = UserOpt,
    database: Optional[str] = DatabaseOpt,
) -> None:
    """Run a named query's Cypher twin (queries/NAME.cypher) on Neo4j (names, codes and themes
    are resolved on the server; no local graph is loaded)."""
    from ..errors import LisgraphError
    from ..named import load_query
    from ..neo4j.queries import resolve_params, run_named, with_cypher
    from ..output import render_rows

    if name is None:
        listing = [{"name": q.name, "title": q.title,
                    "params": ", ".join(f"{p.name} ({p.type})" for p in q.params)}
                   for q in with_cypher()]
        return emit(render_rows(listing, ["name", "title", "params"], fmt.value))
    given: dict[str, str] = {}
    for item in param:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise typer.BadParameter(f"'{item}' is not key=value", param_hint="-p")
        given[key.strip()] = value
    named = load_query(name)
    for p in named.params:  # the global --as-of fills a date parameter not given with -p
        if p.type == "date" and p.name not in given and state.as_of:
            given[p.name] = state.as_of.isoformat()
    if named.cypher is None:
        raise LisgraphError(f"query '{name}' has no Cypher twin (queries/{name}.cypher)")
    if state.data or not state.bundled:
        raise typer.BadParameter("neo4j query reads the server, not local files: push them "
                                 "first (lisgraph --data ... neo4j push)", param_hint="--data")
    with _connect(uri, user, database) as conn:
        from ..neo4j.dataset import check_dataset

        check_dataset(conn)
        rows = run_named(name, resolve_params(conn, named, given), conn)
    if not rows:
        print("the query returned no rows", file=sys.stderr)
    emit(render_rows(rows, list(named.columns), fmt.value))


@neo4j_app.command()
def status(
    verify: bool = typer.Option(False, "--verify", help="Also read the whole graph back and "
                                "compare its content (slower)."),
    evidence: bool = EvidenceOpt,
    fmt: Format = FormatOpt,
    uri: Optional[str] = UriOpt, user: Optional[str] = UserOpt,
    database: Optional[str] = DatabaseOpt,
) -> None:
    """Is the server reachable, which version, what it holds, and does it match the local graph
    (exit 0 when it matches, 1 when it does not or cannot be reached)."""
    from ..neo4j.status import status as server_status
    from ..output import render_json, render_rows

    with _connect(uri, user, database) as conn:
        conn.server_version()  # reachable before the local graph is loaded
        st = server_status(state.graph(), conn, verify=verify, evidence=_evidence(evidence))
    code = 0 if st.matches else 1
    if fmt is Format.json:
        emit(render_json(st.as_dict()))
        raise typer.Exit(code)
    if fmt is Format.csv:
        emit(render_rows(st.rows(), ["kind", "name", "local", "neo4j"], "csv"))
        raise typer.Exit(code)
    verdict = ("matches the local graph" + (" (content verified)" if verify else "")
               if st.matches else "does not match the local graph")
    h = "## " if fmt is Format.md else ""
    emit(f"{h}Neo4j {st.version} at {st.uri}: reachable; {verdict}\n")
    for d in st.differences:
        emit(f"  - {d}\n")
    emit("\n" + render_rows(st.rows(), ["kind", "name", "local", "neo4j"], fmt.value))
    raise typer.Exit(code)


@neo4j_app.command("import-files")
def import_files(
    out: Path = typer.Argument(..., help="Folder to write (created): CSV files and import.args."),
    evidence: bool = EvidenceOpt,
) -> None:
    """Write the graph as files for Neo4j's offline importer (neo4j-admin database import full),
    for a first load of a large graph into an empty database; see scripts/neo4j-bulk-import.sh."""
    from ..neo4j.bulk import write_import_files
    from ..neo4j.projection import project

    if out.exists() and not out.is_dir():
        raise typer.BadParameter(f"{out} is a file: give a folder", param_hint="OUT")
    if out.is_dir() and any(out.iterdir()) and not (out / "import.args").is_file():
        raise typer.BadParameter(f"{out} holds other files: give a new or empty folder",
                                 param_hint="OUT")
    rows = project(state.graph(), _evidence(evidence))
    write_import_files(rows, out)
    print(f"wrote {rows.node_count} nodes and {rows.relationship_count} relationships to {out}: "
          f"neo4j-admin database import full @{out / 'import.args'} neo4j (from {out})",
          file=sys.stderr)


@neo4j_app.command("schema")
def schema(uri: Optional[str] = UriOpt, user: Optional[str] = UserOpt,
           database: Optional[str] = DatabaseOpt) -> None:
    """Create the constraint and indexes the queries use (a push does it itself; run this after
    a bulk import) and drop those earlier versions made that no query uses."""
    from ..neo4j.constraints import ddl, ensure_schema

    with _connect(uri, user, database) as conn:
        ensure_schema(conn)
        print(f"Neo4j at {conn.settings.where}: {len(ddl())} constraints and indexes online",
              file=sys.stderr)
