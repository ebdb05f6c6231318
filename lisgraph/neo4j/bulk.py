"""Files for Neo4j's offline importer (``neo4j-admin database import full``): the push's rows,
exactly, so that a bulk-loaded database is the one a push would have written.

For a first load of a large graph into an empty database: the importer writes the store
files directly, without transactions, at hundreds of thousands of rows a second. It needs the
database stopped and empty, so it is for a fresh (or a separate) server;
``scripts/neo4j-bulk-import.sh`` runs the whole path. The files:

- ``nodes_<Label>.csv``: one per node label, every node with labels ``<Label>;Entity``
  (the ``:ID(Entity)`` column is the ``code`` property);
- ``relationships_<TYPE>.csv``: one per relationship type;
- ``meta.csv``: the meta node, marked complete, with the digest and the schema version;
- ``import.args``: the importer's arguments, one a line (``neo4j-admin database import full
  @import.args neo4j``).

Arrays use the ASCII unit separator (U+001F) as delimiter, so no text value can clash with it.
After the import, :func:`~lisgraph.neo4j.constraints.ensure_schema` (``lisgraph neo4j schema``)
creates the constraint and indexes the queries use.
"""

from __future__ import annotations

import csv
import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import LisgraphError
from .constraints import META, STAMP
from .projection import ENTITY, Projection, schema_version

__all__ = ["ARRAY_DELIMITER", "write_import_files"]

ARRAY_DELIMITER = "\x1f"


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    if isinstance(value, list):
        return _kind(value[0]) + "[]"
    return "string"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(_text(v) for v in value)
    return str(value)


def _columns(rows: list[dict[str, Any]], what: str, skip: tuple[str, ...]) -> list[tuple[str, str]]:
    """(property, importer type) for every property of ``rows``, in first-seen order; one
    type a property, or an error (the importer would store the others wrongly)."""
    kinds: dict[str, str] = {}
    for props in rows:
        for key, value in props.items():
            if key in skip:
                continue
            kind = _kind(value)
            if kinds.setdefault(key, kind) != kind:
                raise LisgraphError(f"{what}: property '{key}' is a {kinds[key]} in one record and "
                                    f"a {kind} in another — neo4j-admin needs one type per "
                                    "column: use lisgraph neo4j push for this graph")
    return list(kinds.items())


def _write(path: Path, header: list[str], rows: Any) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def write_import_files(rows: Projection, out: Path) -> list[str]:
    """Write the importer's files for projected ``rows`` into folder ``out`` (created; files
    of an earlier run replaced); returns the importer's arguments (also in ``import.args``)."""
    out.mkdir(parents=True, exist_ok=True)
    stamp = f"bulk-{uuid.uuid4().hex}"
    args: list[str] = []
    for label, group in rows.nodes.items():
        cols = [c for c in _columns(group, f"nodes of label {label}", ("code",))]
        header = ["code:ID(Entity)", *(f"{k}:{t}" for k, t in cols), f"{STAMP}:string", ":LABEL"]
        labels = f"{label}{ARRAY_DELIMITER}{ENTITY}"
        _write(out / f"nodes_{label}.csv", header,
               ([p["code"], *(_text(p[k]) if k in p else "" for k, _ in cols), stamp, labels]
                for p in group))
        args.append(f"--nodes=nodes_{label}.csv")
    for rel, group in rows.relationships.items():
        props = [r["props"] for r in group]
        cols = _columns(props, f"relationships of type {rel}", ())
        header = [":START_ID(Entity)", ":END_ID(Entity)", *(f"{k}:{t}" for k, t in cols),
                  f"{STAMP}:string", ":TYPE"]
        _write(out / f"relationships_{rel}.csv", header,
               ([r["start"], r["end"], *(_text(r["props"][k]) if k in r["props"] else ""
                                         for k, _ in cols), stamp, rel] for r in group))
        args.append(f"--relationships=relationships_{rel}.csv")
    _write(out / "meta.csv",
           ["id:ID(Meta)", "complete:boolean", "digest", "nodes:long", "relationships:long",
            "lisgraph", "schema", "push", ":LABEL"],
           [["lisgraph", "true", rows.digest(), rows.node_count, rows.relationship_count,
             __version__, schema_version(), stamp, META]])
    args.append("--nodes=meta.csv")
    # options last: a file option takes every following word as another file
    args += ["--array-delimiter=U+001F", "--multiline-fields=true", "--id-type=string",
             "--skip-duplicate-nodes=false"]
    (out / "import.args").write_text("\n".join(args) + "\n", encoding="utf-8")
    return args
