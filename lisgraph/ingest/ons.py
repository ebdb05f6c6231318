"""Readers for the ONS lookup layouts users download (district to LEP, CA, region, county).

The layouts are recognised by their header: a ``LADyyCD`` column and a target column
``LEPyyCD`` / ``LEPyyCD1`` (+ ``LEPyyCD2`` where LEPs overlapped), ``CAUTHyyCD``, ``RGNyyCD``
or ``CTYyyCD``, for any two-digit vintage year ``yy``. Each row becomes a ``part_of`` edge;
unknown districts and bodies are created from the name columns. The file itself becomes the
source of every fact it gives (publisher ONS, vintage 20yy).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..checks import GSS, check_node_id, show
from ..csvtable import Row, read_rows
from ..errors import InputError
from ..graph import KnowledgeGraph
from ..model import Edge, Node, Origin, Source

__all__ = ["OnsLayout", "detect_ons_layout", "read_ons_lookup"]

_TARGETS = {"LEP": "lep", "CAUTH": "combined_authority", "RGN": "region", "CTY": "county"}
_LAD = re.compile(r"^LAD([0-9][0-9])CD$", re.ASCII)
_TARGET = re.compile(r"^(LEP|CAUTH|RGN|CTY)([0-9][0-9])CD([12]?)$", re.ASCII)


@dataclass(frozen=True)
class OnsLayout:
    district_col: str
    year: str
    target_type: str
    target_cols: tuple[str, ...]


def detect_ons_layout(header: list[str]) -> OnsLayout | None:
    """Recognise an ONS district lookup from its header, or return None.

    >>> detect_ons_layout(["LAD21CD", "LAD21NM", "LEP21CD1", "LEP21NM1", "LEP21CD2"]).target_cols
    ('LEP21CD1', 'LEP21CD2')
    >>> detect_ons_layout(["code", "name"]) is None
    True
    """
    header = [h.strip().lstrip("\ufeff") for h in header]
    lad = next((m for m in map(_LAD.match, header) if m), None)
    targets = [m for m in map(_TARGET.match, header) if m]
    if not lad or not targets:
        return None
    prefix = targets[0].group(1)
    cols = tuple(m.group(0) for m in targets if m.group(1) == prefix)
    return OnsLayout(lad.group(0), lad.group(1), _TARGETS[prefix], cols)


def read_ons_lookup(path: str, data: bytes, layout: OnsLayout, g: KnowledgeGraph) -> None:
    source_id = "file-" + re.sub(r"[^a-z0-9]+", "-", path.rsplit("/", 1)[-1].lower()).strip("-")
    g.add_source(Source(
        source_id, "Office for National Statistics", f"{path.rsplit('/', 1)[-1]} (ONS lookup)",
        "", "20" + layout.year, "OGL-UK-3.0", "supplied by the user with --data",
    ))

    class _Bytes:
        def read_bytes(self) -> bytes:
            return data

    for row in read_rows(_Bytes(), [layout.district_col, *layout.target_cols], label=path):
        district = row.require(layout.district_col, "the district's GSS code")
        _ensure(g, row, district, layout.district_col, "district", source_id)
        for col in layout.target_cols:
            body = row.get(col)
            if not body:
                continue
            body = g.canonical_id(body)
            _ensure(g, row, body, col, layout.target_type, source_id)
            g.add_edge(Edge(district, "part_of", body, (source_id,),
                            props={"vintage": "20" + layout.year},
                            origin=Origin(row.path, row.line)))


def _ensure(g: KnowledgeGraph, row: Row, code: str, col: str, node_type: str, source: str) -> None:
    if code in g.nodes:
        return
    bad = check_node_id(g.schema, node_type, code) or (
        None if GSS.fullmatch(code) else (f"{show(code)} is not a GSS code", ""))
    if bad:
        raise InputError(row.path, row.line, col, bad[0], bad[1] or
                         "correct the code (E06/E07/E08/E09 districts, E10, E12, E37, E47)")
    name_col = col.replace("CD", "NM")
    name = row.get(name_col) or code
    g.add_node(Node(code, node_type, name, (source,), {}, Origin(row.path, row.line)))
