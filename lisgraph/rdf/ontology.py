"""The OWL ontology, SHACL shapes and JSON-LD context, generated from schema/model.toml.

``schema/ontology.ttl``, ``schema/shapes.ttl`` and ``schema/context.jsonld`` are this module's
output and are not edited by hand; a test fails when they differ from what ``model.toml``
gives. After changing ``schema/model.toml`` (or the tables below), regenerate them with::

    python -m lisgraph.rdf.ontology --write

model.toml names each type's properties; :data:`PROPERTY_TYPES` gives their values (datatype,
whether they repeat) and :data:`ENUMS` the closed lists, because model.toml does not say.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..assets import schema_dir
from ..errors import DataIntegrityError
from ..schema import Schema, id_pattern, load_schema
from .alignment import GOVERNED, NODE_CLASSES
from .vocabulary import GSS_TYPES, LIS, PREFIXES, camel, property_name

__all__ = [
    "PROPERTY_TYPES", "ENUMS", "TIERS", "LISSH", "ontology_ttl", "shapes_ttl",
    "jsonld_context", "generated_files", "stale_files", "write", "main",
]

LISSH = "https://w3id.org/lisgraph/shapes#"
GEOSPARQL = "http://www.opengis.net/ont/geosparql#"

#: datatype (xsd local name) of every node and edge property, whether it repeats, and what it is
PROPERTY_TYPES: dict[str, tuple[str, bool, str]] = {
    "kind": ("string", False, "what kind of district, authority, partnership, organisation, "
             "strategy or designation it is"),
    "tier": ("string", False, "the strategic-authority tier the law or government assigns"),
    "sic_codes": ("string", True, "a SIC 2007 code (class, group or division) defining the theme"),
    "lat": ("decimal", False, "latitude of a reference point (WGS84)"),
    "lon": ("decimal", False, "longitude of a reference point (WGS84)"),
    "valid_from": ("date", False, "first day on which it held (inclusive)"),
    "valid_to": ("date", False, "last day on which it held (inclusive)"),
    "alt_codes": ("string", True, "an older code of the same body (e.g. an earlier E37 code)"),
    "former_names": ("string", True, "a name the body had before"),
    "mayoral": ("boolean", False, "whether the combined authority has a directly elected mayor"),
    "first_mayoral_election": ("date", False, "date of the first mayoral election"),
    "url": ("string", False, "web address of the body or document"),
    "postcode": ("string", False, "postcode of the main site"),
    "groups": ("string", True, "mission group the provider belongs to (e.g. Russell Group)"),
    "status": ("string", False, "published (by government), draft, or unpublished"),
    "date": ("date", False, "date of publication or of the change"),
    "evidence_url": ("string", False, "web address of the strategy's evidence base"),
    "evaluation": ("string", False, "how the strategy is to be evaluated"),
    "scheme": ("string", False, "which part of the taxonomy: foundation, Grand Challenge, sector"),
    "alt_labels": ("string", True, "another name for the theme"),
    "collaboration": ("string", False, "id of the recorded collaboration"),
    "collaboration_name": ("string", False, "name of the recorded collaboration"),
    "themes": ("string", True, "id of a theme the collaboration or partnership is about"),
    "area_code": ("string", False, "the body's GSS code in the vintage of this membership"),
    "vintage": ("string", False, "vintage of the user-supplied lookup the membership came from"),
    "level": ("integer", False, "ITL level of the area: 1, 2 or 3"),
    "gtr_id": ("string", False, "the provider's organisation id in UKRI Gateway to Research"),
    "end_reason": ("string", False, "why a provider ended (e.g. merged into its successor)"),
    "role": ("string", False, "a priority's role in its strategy (headline, cross-cutting, aim) "
                              "or a party's role in a collaboration (e.g. lead)"),
    "confidence": ("string", False, "how well a fact is attested: 'single source' where one "
                                    "source alone gives it"),
    "note": ("string", False, "a note on the record (what a source says, or what is uncertain)"),
}
#: strategic-authority tiers of the English Devolution White Paper (December 2024)
TIERS = ("foundation strategic authority", "mayoral strategic authority",
         "established mayoral strategic authority")
#: closed lists of values (the loaders refuse anything else)
ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("strategy", "status"): ("draft", "in preparation", "published", "unpublished"),
    ("strategy", "kind"): ("local_industrial_strategy", "local_growth_plan"),
    ("theme", "scheme"): ("foundation", "frontier_industry", "grand_challenge", "sector"),
    ("combined_authority", "kind"): ("combined authority", "combined county authority"),
    ("combined_authority", "tier"): TIERS,
    ("greater_london_authority", "tier"): TIERS,
    ("designation", "kind"): ("cluster", "freeport", "innovation accelerator", "investment zone"),
    ("priority", "role"): ("aim", "cross-cutting", "headline"),
}
#: ontology-level alignment of lisgraph's terms with standard ones (rdfs:subPropertyOf)
_EDGE_SUPER = {
    "broader": "skos:broader",
    "addresses": "dcterms:subject",
    "has_priority": "dcterms:hasPart",
    "succeeded_by": "dcterms:isReplacedBy",
    "neighbours": "geosparql:sfTouches",
}
_PROPERTY_SUPER = {"lat": "geo:lat", "lon": "geo:long", "alt_labels": "skos:altLabel"}
_HEADER = ("# {what}: generated from schema/model.toml by lisgraph/rdf/ontology.py.\n"
           "# Do not edit: change model.toml, then run `python -m lisgraph.rdf.ontology --write`.\n")


def _prefixes() -> dict[str, str]:
    return {**PREFIXES, "lissh": LISSH, "geosparql": GEOSPARQL}


def _q(text: str) -> str:
    """A Turtle/N-Triples string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _human(name: str) -> str:
    return name.replace("_", " ")


def _c(label: str) -> str:
    return f"lis:{label}"


def _edge_props(schema: Schema, edge: str) -> tuple[str, ...]:
    return schema.edges[edge].properties


def _check(schema: Schema) -> None:
    names = {p for nt in schema.nodes.values() for p in nt.properties}
    names |= {p for e in schema.edges for p in _edge_props(schema, e)}
    missing = sorted(names - set(PROPERTY_TYPES))
    if missing:
        raise DataIntegrityError(
            f"schema/model.toml: property '{missing[0]}' has no datatype — add it to "
            "PROPERTY_TYPES in lisgraph/rdf/ontology.py and regenerate")


def _block(subject: str, pairs: Iterable[tuple[str, str]]) -> str:
    body = " ;\n    ".join(f"{p} {o}" for p, o in pairs)
    return f"{subject} {body} .\n"


def _preamble(what: str) -> str:
    lines = [_HEADER.format(what=what)]
    lines += [f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(_prefixes().items())]
    return "".join(lines) + "\n"


def _union(classes: list[str]) -> str:
    if len(classes) == 1:
        return classes[0]
    return f"[ a owl:Class ; owl:unionOf ( {' '.join(classes)} ) ]"


def ontology_ttl(schema: Schema | None = None) -> str:
    """The OWL/RDFS ontology of lisgraph's terms, aligned with ORG, SKOS, PROV and DCTERMS.

    Examples
    --------
    >>> "lis:Partnership a owl:Class" in ontology_ttl()
    True
    """
    schema = schema or load_schema()
    _check(schema)
    label = {k: _c(nt.label) for k, nt in schema.nodes.items()}
    out = [_preamble("lisgraph ontology (OWL/RDFS)")]
    out.append(_block(f"<{LIS.rstrip('#')}>", [
        ("a", "owl:Ontology"),
        ("dcterms:title", _q("lisgraph ontology")),
        ("dcterms:description", _q(
            "Classes and properties of lisgraph's knowledge graph of England's places, the bodies "
            "that govern them, their partners and their Local Industrial Strategies. Areas are "
            "ONS statistical geographies; bodies, memberships and collaborations follow W3C ORG; "
            "themes form a SKOS concept scheme; every fact is prov:wasDerivedFrom its sources.")),
        ("rdfs:seeAlso", "<https://www.w3.org/TR/vocab-org/>, <https://www.w3.org/TR/skos-reference/>"),
    ]) + "\n# Classes\n\n")
    out.append(_block("lis:Area", [
        ("a", "owl:Class"), ("rdfs:label", _q("Area")),
        ("rdfs:comment", _q("An area named by an ONS GSS code (its IRI is the statistical "
                            "geography); the body that governs it is a lis:GoverningBody.")),
        ("rdfs:subClassOf", "geo:SpatialThing")]))
    out.append(_block("lis:GoverningBody", [
        ("a", "owl:Class"), ("rdfs:label", _q("Governing body")),
        ("rdfs:comment", _q("The body that governs an area (council, LEP board, combined "
                            "authority), at lisid:body/<GSS>.")),
        ("rdfs:subClassOf", "org:Organization")]))
    for name, nt in schema.nodes.items():
        supers = ["lis:Area"] if name in GSS_TYPES else []
        supers += [_curie(c) for c in NODE_CLASSES.get(name, ())]
        pairs = [("a", "owl:Class"), ("rdfs:label", _q(nt.title))]
        if name in GOVERNED:
            pairs.append(("rdfs:comment", _q(f"The area of a {_human(name)}; its body is the "
                                             "lis:GoverningBody that lis:governs it.")))
        if supers:
            pairs.append(("rdfs:subClassOf", ", ".join(supers)))
        out.append(_block(label[name], pairs))
    out.append(_block("lis:Link", [
        ("a", "owl:Class"), ("rdfs:label", _q("Link")),
        ("rdfs:comment", _q("One edge of the graph as a resource (lis:from, lis:to, "
                            "lis:linkType), with its validity dates and its sources. Links of "
                            "memberships are also org:Membership.")),
        ("rdfs:subClassOf", "prov:Entity")]))
    out.append("\n# Edge types (the direct triple; each edge is also a lis:Link)\n\n")
    for name, et in schema.edges.items():
        pairs = [("a", "owl:ObjectProperty" + (", owl:SymmetricProperty" if et.symmetric else "")),
                 ("rdfs:label", _q(_human(name))), ("rdfs:comment", _q(et.title)),
                 ("rdfs:domain", _union([label[t] for t in et.sources])),
                 ("rdfs:range", _union([label[t] for t in et.targets]))]
        if name in _EDGE_SUPER:
            pairs.append(("rdfs:subPropertyOf", _EDGE_SUPER[name]))
        out.append(_block(f"lis:{property_name(name)}", pairs))
    out.append(_block("lis:governs", [
        ("a", "owl:ObjectProperty"), ("rdfs:label", _q("governs")),
        ("rdfs:comment", _q("a governing body governs an area")),
        ("rdfs:domain", "lis:GoverningBody"), ("rdfs:range", "lis:Area")]))
    out.append("\n# Links\n\n")
    for term, comment, rng in (("from", "the node an edge starts at", "owl:Thing"),
                               ("to", "the node an edge ends at", "owl:Thing")):
        out.append(_block(f"lis:{term}", [
            ("a", "owl:ObjectProperty, owl:FunctionalProperty"), ("rdfs:label", _q(term)),
            ("rdfs:comment", _q(comment)), ("rdfs:domain", "lis:Link"), ("rdfs:range", rng)]))
    out.append(_block("lis:linkType", [
        ("a", "owl:DatatypeProperty, owl:FunctionalProperty"), ("rdfs:label", _q("link type")),
        ("rdfs:comment", _q("the edge type: " + ", ".join(schema.edges))),
        ("rdfs:domain", "lis:Link"), ("rdfs:range", "xsd:string")]))
    out.append("\n# Identity and provenance\n\n")
    out.append(_block("lis:code", [
        ("a", "owl:DatatypeProperty"), ("rdfs:label", _q("code")),
        ("rdfs:comment", _q("the node's id in lisgraph: GSS code, UKPRN or slug")),
        ("rdfs:subPropertyOf", "dcterms:identifier"), ("rdfs:range", "xsd:string")]))
    out.append(_block("lis:nodeType", [
        ("a", "owl:DatatypeProperty"), ("rdfs:label", _q("node type")),
        ("rdfs:comment", _q("the node type in schema/model.toml: " + ", ".join(schema.nodes))),
        ("rdfs:range", "xsd:string")]))
    out.append(_block("lis:vintage", [
        ("a", "owl:DatatypeProperty"), ("rdfs:label", _q("vintage")),
        ("rdfs:comment", _q("the year, month or date of the source's edition (YYYY, YYYY-MM, "
                            "YYYY-MM-DD, or a range of years YYYY-YYYY)")),
        ("rdfs:domain", "prov:Entity"), ("rdfs:range", "xsd:string")]))
    out.append("\n# Properties of nodes and links\n\n")
    for prop, (dtype, multi, comment) in PROPERTY_TYPES.items():
        owners = [label[k] for k, nt in schema.nodes.items() if prop in nt.properties]
        if any(prop in _edge_props(schema, e) for e in schema.edges) or prop in ("valid_from",
                                                                                 "valid_to"):
            owners.append("lis:Link")
        kinds = "owl:DatatypeProperty" + ("" if multi else ", owl:FunctionalProperty")
        pairs = [("a", kinds), ("rdfs:label", _q(_human(prop))), ("rdfs:comment", _q(comment))]
        if owners:
            pairs.append(("rdfs:domain", _union(owners)))
        pairs.append(("rdfs:range", f"xsd:{dtype}"))
        if prop in _PROPERTY_SUPER:
            pairs.append(("rdfs:subPropertyOf", _PROPERTY_SUPER[prop]))
        out.append(_block(f"lis:{camel(prop)}", pairs))
    return "".join(out)


def _curie(iri: str) -> str:
    for p, ns in sorted(_prefixes().items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns):
            return f"{p}:{iri[len(ns):]}"
    return f"<{iri}>"


def _pattern(rule: str) -> str:
    return _q(id_pattern(rule).pattern)


def shapes_ttl(schema: Schema | None = None) -> str:
    """SHACL shapes: one node shape per node type, one for links, sources and each edge's ends.

    Examples
    --------
    >>> "sh:targetClass lis:District" in shapes_ttl()
    True
    """
    schema = schema or load_schema()
    _check(schema)
    label = {k: _c(nt.label) for k, nt in schema.nodes.items()}
    out = [_preamble("lisgraph SHACL shapes")]
    for name, nt in schema.nodes.items():
        shape = f"lissh:{nt.label}"
        props = [
            ("code", [("sh:path", "lis:code"), ("sh:minCount", "1"), ("sh:maxCount", "1"),
                      ("sh:datatype", "xsd:string"), ("sh:pattern", _pattern(nt.id_rule)),
                      ("sh:message", _q(f"needs exactly one lis:code, a {name} id "
                                        f"({nt.id_rule})"))]),
            ("label", [("sh:path", "rdfs:label"), ("sh:minCount", "1"), ("sh:maxCount", "1"),
                       ("sh:datatype", "xsd:string"),
                       ("sh:message", _q("needs exactly one name (rdfs:label)"))]),
            ("nodeType", [("sh:path", "lis:nodeType"), ("sh:minCount", "1"),
                          ("sh:maxCount", "1"), ("sh:hasValue", _q(name)),
                          ("sh:message", _q(f"needs lis:nodeType \"{name}\" and no other"))]),
            ("sources", [("sh:path", "prov:wasDerivedFrom"), ("sh:minCount", "1"),
                         ("sh:nodeKind", "sh:IRI"),
                         ("sh:message", _q("needs at least one source (prov:wasDerivedFrom)"))]),
        ]
        for prop in nt.properties:
            props.append((camel(prop), _value_shape(name, prop)))
        pairs = [("a", "sh:NodeShape"), ("rdfs:label", _q(nt.title)),
                 ("sh:targetClass", label[name]),
                 ("sh:property", ", ".join(f"{shape}-{p}" for p, _ in props))]
        if {"valid_from", "valid_to"} <= set(nt.properties):
            pairs.append(("sh:property", f"{shape}-validity"))
        out.append(_block(shape, pairs))
        for p, constraint in props:
            out.append(_block(f"{shape}-{p}", [("a", "sh:PropertyShape"), *constraint]))
        if {"valid_from", "valid_to"} <= set(nt.properties):
            out.append(_block(f"{shape}-validity", _validity()))
        out.append("\n")
    out.append(_link_shapes(schema, label))
    return "".join(out)


def _value_shape(node_type: str, prop: str) -> list[tuple[str, str]]:
    dtype, multi, _ = PROPERTY_TYPES[prop]
    pairs = [("sh:path", f"lis:{camel(prop)}"), ("sh:datatype", f"xsd:{dtype}")]
    what = f"a {dtype}" if dtype != "string" else "text"
    if not multi:
        pairs.append(("sh:maxCount", "1"))
    allowed = ENUMS.get((node_type, prop))
    if allowed:
        pairs.append(("sh:in", "( " + " ".join(_q(v) for v in allowed) + " )"))
        what = "one of " + ", ".join(allowed)
    if prop in ("lat", "lon"):
        bound = "90" if prop == "lat" else "180"
        pairs += [("sh:minInclusive", f"-{bound}.0"), ("sh:maxInclusive", f"{bound}.0")]
        what += f" between -{bound} and {bound}"
    many = "" if multi else "at most one value, "
    pairs.append(("sh:message", _q(f"{_human(prop)}: {many}{what}")))
    return pairs


def _validity() -> list[tuple[str, str]]:
    return [("a", "sh:PropertyShape"), ("sh:path", "lis:validFrom"),
            ("sh:lessThanOrEquals", "lis:validTo"),
            ("sh:message", _q("valid from must not be after valid to"))]


def _link_shapes(schema: Schema, label: dict[str, str]) -> str:
    out = ["# Links (qualified edges) and the sources they cite\n\n"]
    edge_props = sorted({p for e in schema.edges for p in _edge_props(schema, e)})
    props = [
        ("from", [("sh:path", "lis:from"), ("sh:minCount", "1"), ("sh:maxCount", "1"),
                  ("sh:nodeKind", "sh:IRI"), ("sh:message", _q("needs exactly one lis:from"))]),
        ("to", [("sh:path", "lis:to"), ("sh:minCount", "1"), ("sh:maxCount", "1"),
                ("sh:nodeKind", "sh:IRI"), ("sh:message", _q("needs exactly one lis:to"))]),
        ("linkType", [("sh:path", "lis:linkType"), ("sh:minCount", "1"), ("sh:maxCount", "1"),
                      ("sh:in", "( " + " ".join(_q(e) for e in schema.edges) + " )"),
                      ("sh:message", _q("needs one lis:linkType, an edge type of model.toml"))]),
        ("validFrom", _value_shape("", "valid_from")),
        ("validTo", _value_shape("", "valid_to")),
        ("sources", [("sh:path", "prov:wasDerivedFrom"), ("sh:minCount", "1"),
                     ("sh:nodeKind", "sh:IRI"),
                     ("sh:message", _q("needs at least one source (prov:wasDerivedFrom)"))]),
    ] + [(camel(p), _value_shape("", p)) for p in edge_props]
    out.append(_block("lissh:Link", [
        ("a", "sh:NodeShape"), ("rdfs:label", _q("Link")), ("sh:targetClass", "lis:Link"),
        ("sh:property", ", ".join(f"lissh:Link-{p}" for p, _ in props)),
        ("sh:property", "lissh:Link-validity")]))
    for p, pairs in props:
        out.append(_block(f"lissh:Link-{p}", [("a", "sh:PropertyShape"), *pairs]))
    out.append(_block("lissh:Link-validity", _validity()))
    out.append(_block("lissh:Source", [
        ("a", "sh:NodeShape"), ("rdfs:label", _q("Source (anything cited)")),
        ("sh:targetObjectsOf", "prov:wasDerivedFrom"),
        ("sh:property", ", ".join(f"lissh:Source-{p}" for p in (
            "code", "title", "publisher", "vintage", "licence")))]))
    for p, path, what in (("code", "lis:code", "an id"), ("title", "dcterms:title", "a title"),
                          ("publisher", "dcterms:publisher", "a publisher"),
                          ("vintage", "lis:vintage",
                           "a vintage (YYYY, YYYY-MM, YYYY-MM-DD or a range of years YYYY-YYYY)"),
                          ("licence", "dcterms:license", "a licence (or 'unknown')")):
        pairs = [("a", "sh:PropertyShape"), ("sh:path", path), ("sh:minCount", "1"),
                 ("sh:maxCount", "1"), ("sh:message", _q(f"a cited source needs exactly {what}"))]
        if p == "vintage":
            pairs.insert(-1, ("sh:pattern", _q(r"^\d{4}(-\d{2}(-\d{2})?|-\d{4})?$")))
        out.append(_block(f"lissh:Source-{p}", pairs))
    out.append("\n# Which node types each edge type may start and end at\n\n")
    for name, et in schema.edges.items():
        term = property_name(name)
        for end, types in (("start", et.sources), ("end", et.targets)):
            classes = [label[t] for t in types]
            target = "sh:targetSubjectsOf" if end == "start" else "sh:targetObjectsOf"
            where = "start at" if end == "start" else "end at"
            constraint = (("sh:class", classes[0]) if len(classes) == 1 else
                          ("sh:or", "( " + " ".join(f"[ sh:class {c} ]" for c in classes) + " )"))
            out.append(_block(f"lissh:{term}-{end}", [
                ("a", "sh:NodeShape"), (target, f"lis:{term}"), constraint,
                ("sh:message", _q(f"{name} can only {where}: {', '.join(types)}"))]))
    return "".join(out)


def jsonld_context(schema: Schema | None = None) -> dict[str, Any]:
    """The JSON-LD context: prefixes, a term per class, edge type and property.

    Examples
    --------
    >>> ctx = jsonld_context()
    >>> ctx["partOf"], ctx["validFrom"]
    ({'@id': 'lis:partOf', '@type': '@id'}, {'@id': 'lis:validFrom', '@type': 'xsd:date'})
    """
    schema = schema or load_schema()
    _check(schema)
    ctx: dict[str, Any] = dict(PREFIXES)
    for nt in schema.nodes.values():
        ctx[nt.label] = f"lis:{nt.label}"
    ctx.update({"Link": "lis:Link", "Area": "lis:Area", "GoverningBody": "lis:GoverningBody",
                "code": "lis:code", "name": "rdfs:label", "nodeType": "lis:nodeType",
                "vintage": "lis:vintage", "linkType": "lis:linkType",
                "sources": {"@id": "prov:wasDerivedFrom", "@type": "@id"}})
    for term in ["from", "to", "governs", *(property_name(e) for e in schema.edges)]:
        ctx[term] = {"@id": f"lis:{term}", "@type": "@id"}
    for prop, (dtype, multi, _) in PROPERTY_TYPES.items():
        term = camel(prop)
        ctx[term] = {"@id": f"lis:{term}"}
        if dtype != "string":
            ctx[term]["@type"] = f"xsd:{dtype}"
        if multi:
            ctx[term]["@container"] = "@set"
        if len(ctx[term]) == 1:
            ctx[term] = ctx[term]["@id"]
    return ctx


def generated_files(schema: Schema | None = None) -> dict[str, str]:
    """File name in schema/ -> the text it must hold."""
    schema = schema or load_schema()
    context = {"comment": "generated from schema/model.toml by lisgraph/rdf/ontology.py; do not "
               "edit: run `python -m lisgraph.rdf.ontology --write`",
               "@context": jsonld_context(schema)}
    return {"ontology.ttl": ontology_ttl(schema), "shapes.ttl": shapes_ttl(schema),
            "context.jsonld": json.dumps(context, indent=2, ensure_ascii=False) + "\n"}


def _schema_path() -> Path:
    path = Path(str(schema_dir()))
    if not (path / "model.toml").is_file():
        raise DataIntegrityError(f"{path}: not a source checkout's schema/ folder; "
                                 "run --write from a clone of lisgraph")
    return path


def stale_files(folder: Path | None = None) -> list[str]:
    """The generated files in ``folder`` (default schema/) that are missing or out of date."""
    folder = folder or Path(str(schema_dir()))
    return sorted(name for name, text in generated_files().items()
                  if not (folder / name).is_file()
                  or (folder / name).read_text(encoding="utf-8") != text)


def write(folder: Path | None = None) -> list[str]:
    """(Re)write the generated files; returns the names written."""
    folder = folder or _schema_path()
    written = []
    for name, text in generated_files().items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(name)
    return written


def main(argv: list[str] | None = None) -> int:
    """``python -m lisgraph.rdf.ontology [--write]``: report (or rewrite) stale files."""
    args = sys.argv[1:] if argv is None else argv
    if "--write" in args:
        names = write()
        print(f"wrote {', '.join(names)}" if names else "schema/ is up to date", file=sys.stderr)
        return 0
    stale = stale_files()
    for name in stale:
        print(f"schema/{name} is out of date: run python -m lisgraph.rdf.ontology --write",
              file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
