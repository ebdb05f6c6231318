"""lisgraph's RDF vocabulary: namespaces and how each node, edge and source gets its IRI.

Areas use the ONS statistical-geography IRIs; everything else lives in the project namespace.
Terms for node and edge types come from schema/model.toml (`label`): node types as classes
(``lis:District``), edge types as properties in lower camel case (``lis:partOf``).
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote

__all__ = [
    "LIS", "LISID", "STATGEO", "PREFIXES", "node_iri", "source_iri", "link_iri",
    "property_name", "GSS_TYPES",
]

LIS = "https://w3id.org/lisgraph/def#"
LISID = "https://w3id.org/lisgraph/id/"
STATGEO = "http://statistics.data.gov.uk/id/statistical-geography/"

PREFIXES = {
    "lis": LIS,
    "lisid": LISID,
    "statgeo": STATGEO,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "sh": "http://www.w3.org/ns/shacl#",
}

GSS_TYPES = frozenset({"district", "county", "region", "lep", "combined_authority",
                       "greater_london_authority"})
#: slug ids of areas awaiting their ONS code (e.g. a new combined authority) are not GSS codes
_SLUG_ID = re.compile(r"^[a-z]")


def node_iri(node_type: str, node_id: str) -> str:
    """The IRI of a node: a GSS area IRI, or ``lisid:<type>/<id>``.

    >>> node_iri("district", "E08000003")
    'http://statistics.data.gov.uk/id/statistical-geography/E08000003'
    >>> node_iri("priority", "lis-gm/health-innovation")
    'https://w3id.org/lisgraph/id/priority/lis-gm/health-innovation'
    """
    if node_type in GSS_TYPES and not _SLUG_ID.match(node_id):
        return STATGEO + node_id
    return f"{LISID}{node_type}/{quote(node_id, safe='/-')}"


def source_iri(source_id: str) -> str:
    return f"{LISID}source/{quote(source_id, safe='-')}"


def link_iri(start: str, edge_type: str, end: str, valid_from: object, valid_to: object,
             extra: str = "") -> str:
    """A stable IRI for one edge's qualified statement (same edge, same IRI on every run)."""
    key = "|".join(map(str, (start, edge_type, end, valid_from, valid_to, extra)))
    return f"{LISID}link/{hashlib.sha1(key.encode()).hexdigest()[:16]}"


def property_name(edge_type: str) -> str:
    """``part_of`` -> ``partOf``."""
    head, *rest = edge_type.split("_")
    return head + "".join(p.title() for p in rest)


def camel(prop: str) -> str:
    return re.sub(r"_(\w)", lambda m: m.group(1).upper(), prop)
