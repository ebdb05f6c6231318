"""Readers for lisgraph's own table format (see loaders/FORMAT.md), one per table kind."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from ..checks import (
    STRATEGY_STATUSES,
    THEME_SCHEMES,
    check_coordinates,
    check_node_id,
    check_period,
    check_source_id,
    check_url,
    check_vintage,
    parse_number,
    show,
)
from ..csvtable import Row, split_list
from ..graph import KnowledgeGraph
from ..model import Edge, Node, Origin, Source
from .registry import EDGES, NODES, SOURCES, table_kind

__all__: list[str] = []


def _sources(row: Row) -> tuple[str, ...]:
    ids = tuple(dict.fromkeys(split_list(row.get("source"))))  # a repeated id counts once
    if not ids:
        raise row.error("source", "is empty", "cite the id of a row in a sources file")
    return ids


def _origin(row: Row) -> Origin:
    return Origin(row.path, row.line)


def _float(row: Row, column: str) -> float | None:
    text = row.get(column)
    if not text:
        return None
    value = parse_number(text)
    if value is None:
        raise row.error(column, f"{show(text)} is not a number",
                        "write a finite decimal such as 53.48 (ASCII digits, '.' for the decimal point)")
    return value


def _node(row: Row, g: KnowledgeGraph, node_type: str, id_col: str, name_col: str = "name", *,
          period: tuple[str, str] = ("valid_from", "valid_to"), **props: object) -> Node:
    """Build, check and add one node; ``period`` names the columns its dates come from."""
    node_id = row.require(id_col, "the record's id")
    bad = check_node_id(g.schema, node_type, node_id)
    if bad:
        raise row.error(id_col, *bad)
    clean = {k: v for k, v in props.items() if v not in (None, "", [], ())}
    point = check_coordinates(clean.get("lat"), clean.get("lon"))
    if point:
        raise row.error(*point)
    bad = check_period(clean.get("valid_from"), clean.get("valid_to"))
    if bad:
        raise row.error(period[1], *bad)
    for column in ("url", "evidence_url"):
        if column in clean:
            bad = check_url(str(clean[column]))
            if bad:
                raise row.error(column, *bad)
    node = Node(node_id, node_type, row.require(name_col, "a name"), _sources(row), clean,
                _origin(row))
    g.add_node(node)
    return node


def _edge(row: Row, g: KnowledgeGraph, start: str, kind: str, end: str, **props: object) -> None:
    valid_from = row.date("valid_from") if "valid_from" in row.values else None
    valid_to = row.date("valid_to") if "valid_to" in row.values else None
    bad = check_period(valid_from, valid_to)
    if bad:
        raise row.error("valid_to", *bad)
    g.add_edge(Edge(
        start, kind, end, _sources(row), valid_from, valid_to,
        {k: v for k, v in props.items() if v not in (None, "", [], ())},
        _origin(row),
    ))


def _day_before(day: date | None) -> date | None:
    """An `abolished`/`ended` date is the day a change took effect; validity ends the day before."""
    return day - timedelta(days=1) if day else None


def _flag(row: Row, column: str) -> bool | None:
    text = row.get(column).lower()
    if text in ("", "unknown"):
        return None
    if text in ("true", "yes", "1"):
        return True
    if text in ("false", "no", "0"):
        return False
    raise row.error(column, f"{show(text)} is not true/false", "write true or false")


@table_kind("sources", "id,publisher,title,url,vintage,licence", SOURCES, "note")
def read_sources(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """Source registry: publications and datasets that facts come from."""
    for row in rows:
        sid = row.require("id")
        bad = check_source_id(sid)
        if bad:
            raise row.error("id", *bad)
        if sid in g.sources:
            raise row.error("id", f"duplicate source id '{sid}'", "give each source its own id")
        for column, check in (("vintage", check_vintage), ("url", check_url)):
            bad = check(row.get(column)) if row.get(column) or column == "vintage" else None
            if bad:
                raise row.error(column, *bad)
        g.add_source(Source(sid, row.require("publisher"), row.require("title"), row.get("url"),
                            row.require("vintage"), row.require("licence", "a licence or 'unknown'"),
                            row.get("note")))


@table_kind("regions", "code,name,source", NODES)
def read_regions(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """Regions (E12)."""
    for row in rows:
        _node(row, g, "region", "code")


@table_kind("counties", "code,name,valid_from,valid_to,source", NODES)
def read_counties(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """Counties of two-tier areas (E10)."""
    for row in rows:
        _node(row, g, "county", "code", valid_from=row.date("valid_from"),
              valid_to=row.date("valid_to"))


@table_kind("districts", "code,name,kind,lat,lon,valid_from,valid_to,source", NODES,
            "alt_codes")
def read_districts(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """Local authority districts (E06-E09, S12, W06, N09) with a reference point."""
    for row in rows:
        _node(row, g, "district", "code", kind=row.get("kind"), lat=_float(row, "lat"),
              lon=_float(row, "lon"), valid_from=row.date("valid_from"),
              valid_to=row.date("valid_to"), alt_codes=split_list(row.get("alt_codes")))


@table_kind("itl_areas", "code,name,level,source", NODES,
            "valid_from,valid_to")
def read_itl_areas(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """International Territorial Level areas (ITL1/2/3), keyed by their TL code (not GSS)."""
    for row in rows:
        level = row.require("level", "1, 2 or 3")
        if level not in ("1", "2", "3"):
            raise row.error("level", f"'{level}' is not an ITL level", "write 1, 2 or 3")
        _node(row, g, "itl_area", "code", level=int(level),
              valid_from=row.date("valid_from") if "valid_from" in row.values else None,
              valid_to=row.date("valid_to") if "valid_to" in row.values else None)


@table_kind("leps", "code,name,alt_codes,former_names,lat,lon,valid_from,valid_to,source", NODES)
def read_leps(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """Local enterprise partnerships (E37), keyed by their latest code."""
    for row in rows:
        _node(row, g, "lep", "code", alt_codes=split_list(row.get("alt_codes")),
              former_names=split_list(row.get("former_names")), lat=_float(row, "lat"),
              lon=_float(row, "lon"), valid_from=row.date("valid_from"),
              valid_to=row.date("valid_to"))


@table_kind("combined_authorities", "code,name,mayoral,established,abolished,source", NODES,
            "first_mayoral_election,lat,lon,kind,tier,alt_codes,url")
def read_combined_authorities(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """Combined authorities and combined county authorities (E47)."""
    for row in rows:
        _node(row, g, "combined_authority", "code", period=("established", "abolished"), mayoral=_flag(row, "mayoral"),
              valid_from=row.date("established"), valid_to=_day_before(row.date("abolished")),
              first_mayoral_election=row.date("first_mayoral_election")
              if "first_mayoral_election" in row.values else None,
              lat=_float(row, "lat") if "lat" in row.values else None,
              lon=_float(row, "lon") if "lon" in row.values else None,
              **_authority_extras(row))


def _authority_extras(row: Row) -> dict[str, object]:
    """Optional `kind`, `tier`, `alt_codes` and `url` of a strategic authority (closed lists)."""
    from ..rdf.ontology import ENUMS  # the closed lists live with the schema's datatypes

    extras: dict[str, object] = {}
    for column in ("kind", "tier"):
        value = row.get(column) if column in row.values else ""
        allowed = ENUMS[("combined_authority", column)]
        if value and value not in allowed:
            raise row.error(column, f"'{value}' is not a {column}", f"use one of {', '.join(allowed)}")
        extras[column] = value
    extras["alt_codes"] = split_list(row.get("alt_codes")) if "alt_codes" in row.values else None
    extras["url"] = row.get("url") if "url" in row.values else None
    return extras


@table_kind("part_of", "member,body,valid_from,valid_to,source", EDGES, "area_code")
def read_part_of(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """District is part of a region, county, LEP or combined authority, between dates."""
    for row in rows:
        _edge(row, g, row.require("member"), "part_of", row.require("body"),
              area_code=row.get("area_code") if "area_code" in row.values else None)


@table_kind("providers", "ukprn,name,district,lat,lon,source", NODES,
            "postcode,groups,alt_codes,end_reason,former_names,gtr_id,successor,valid_from,valid_to")
def read_providers(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """Higher-education providers, located in a district; optional columns former_names,
    valid_from, valid_to, gtr_id, successor (a UKPRN: a succeeded_by edge the day after
    valid_to) and end_reason."""
    for row in rows:
        node = _node(row, g, "provider", "ukprn", lat=_float(row, "lat"), lon=_float(row, "lon"),
                     postcode=row.get("postcode"), groups=split_list(row.get("groups")),
                     former_names=split_list(row.get("former_names")),
                     valid_from=row.date("valid_from"), valid_to=row.date("valid_to"),
                     gtr_id=row.get("gtr_id"), end_reason=row.get("end_reason"),
                     alt_codes=split_list(row.get("alt_codes")))
        _edge(row, g, node.id, "located_in", row.require("district"))
        if row.get("successor"):
            end = row.date("valid_to")
            if end is None:
                raise row.error("valid_to", "a provider with a successor needs its last day",
                                "fill in valid_to")
            g.add_edge(Edge(node.id, "succeeded_by", row.get("successor"), _sources(row),
                            props={"date": end + timedelta(days=1)}, origin=_origin(row)))


@table_kind("locations", "body,district,valid_from,valid_to,source", EDGES)
def read_locations(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """Where a provider or organisation was located between dates (e.g. before its district
    was replaced by a reorganisation)."""
    for row in rows:
        _edge(row, g, row.require("body"), "located_in", row.require("district"))


@table_kind("themes", "id,scheme,label,alt_labels,broader,source", NODES,
            "sic_codes")
def read_themes(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """The theme taxonomy: foundations, Grand Challenges and sectors."""
    schemes = THEME_SCHEMES
    for row in rows:
        scheme = row.require("scheme")
        if scheme not in schemes:
            raise row.error("scheme", f"{show(scheme)} is not a theme scheme",
                            f"use one of {', '.join(sorted(schemes))}")
        node = _node(row, g, "theme", "id", "label", scheme=scheme,
                     alt_labels=split_list(row.get("alt_labels")),
                     sic_codes=split_list(row.get("sic_codes")) if "sic_codes" in row.values else None)
        for parent in split_list(row.get("broader")):
            _edge(row, g, node.id, "broader", parent)


@table_kind("strategies", "id,name,body,status,date,url,source", NODES,
            "evidence_url,evaluation,kind")
def read_strategies(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """Local Industrial Strategies and the bodies that published them."""
    statuses = STRATEGY_STATUSES
    kinds = {"local_industrial_strategy", "local_growth_plan"}
    for row in rows:
        status = row.require("status")
        if status not in statuses:
            raise row.error("status", f"{show(status)} is not a strategy status",
                            f"use one of {', '.join(sorted(statuses))}")
        kind = row.get("kind") if "kind" in row.values else ""
        if kind and kind not in kinds:
            raise row.error("kind", f"'{kind}' is not a strategy kind",
                            f"use one of {', '.join(sorted(kinds))}")
        node = _node(row, g, "strategy", "id", status=status, date=row.date("date"),
                     url=row.get("url"), evidence_url=row.get("evidence_url"),
                     evaluation=row.get("evaluation"), kind=kind)
        bodies = split_list(row.require("body", "the id of the publishing body"))
        for body in bodies:
            _edge(row, g, body, "published", node.id)


@table_kind("priorities", "id,strategy,name,themes,source", EDGES,
            "role")
def read_priorities(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """Priorities of strategies, each addressing one or more themes; an optional ``role`` says
    whether it is a headline priority (the default), a cross-cutting one or the overall aim."""
    roles = {"headline", "cross-cutting", "aim"}
    for row in rows:
        role = row.get("role")
        if role and role not in roles:
            raise row.error("role", f"'{role}' is not a priority role",
                            f"use one of {', '.join(sorted(roles))}, or leave it empty (headline)")
        node = _node(row, g, "priority", "id", role=role)
        _edge(row, g, row.require("strategy"), "has_priority", node.id)
        for theme in split_list(row.require("themes", "one or more theme ids")):
            _edge(row, g, node.id, "addresses", theme)


@table_kind("partnerships", "id,name,kind,established,ended,url,source", NODES)
def read_partnerships(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """Pan-regional partnerships."""
    for row in rows:
        _node(row, g, "partnership", "id", period=("established", "ended"), kind=row.get("kind"), url=row.get("url"),
              valid_from=row.date("established"), valid_to=row.date("ended"))


@table_kind("organisations", "id,name,kind,url,source", NODES, "district")
def read_organisations(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """Other organisations: businesses, public bodies, civil society."""
    for row in rows:
        node = _node(row, g, "organisation", "id", kind=row.get("kind"), url=row.get("url"))
        if row.get("district"):
            _edge(row, g, node.id, "located_in", row.get("district"))


@table_kind("partnership_members", "partnership,member,valid_from,valid_to,source", EDGES)
def read_partnership_members(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """Bodies that are members of a partnership, between dates."""
    for row in rows:
        _edge(row, g, row.require("member"), "member_of", row.require("partnership"))


@table_kind("partners", "body,partner,valid_from,valid_to,source", EDGES, "themes")
def read_partners(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """A body names another as its partner (e.g. a university on a LEP board)."""
    for row in rows:
        _edge(row, g, row.require("body"), "partner_of", row.require("partner"),
              themes=split_list(row.get("themes")) if "themes" in row.values else None)


@table_kind("collaborations", "id,name,members,themes,valid_from,valid_to,source", EDGES,
            "date,kind,note,url")
def read_collaborations(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """Recorded collaborations and deals: one collaboration node, each member party_to it."""
    for row in rows:
        members = split_list(row.get("members"))
        if members and len(set(members)) < 2:
            raise row.error("members", "a collaboration needs at least two members",
                            "list two or more ids separated by ';' (or list the parties in a "
                            "collaboration_parties table)")
        themes = split_list(row.get("themes"))
        for theme in themes:
            if theme not in g.nodes:
                raise row.error("themes", f"unknown theme {show(theme)}", "use a theme id from themes.csv")
        node = _node(row, g, "collaboration", "id", kind=row.get("kind"), date=row.date("date"),
                     themes=themes, url=row.get("url"), note=row.get("note"),
                     valid_from=row.date("valid_from"), valid_to=row.date("valid_to"))
        for member in dict.fromkeys(members):
            g.add_edge(Edge(member, "party_to", node.id, _sources(row), origin=_origin(row)))


@table_kind("collaboration_parties", "collaboration,party,valid_from,valid_to,source", EDGES,
            "confidence,note,role")
def read_collaboration_parties(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """A body is a party to a collaboration or deal, between dates, with its role."""
    for row in rows:
        _edge(row, g, row.require("party"), "party_to", row.require("collaboration"),
              role=row.get("role"), confidence=row.get("confidence"), note=row.get("note"))


@table_kind("neighbours", "a,b,source", EDGES)
def read_neighbours(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """Districts that share a boundary."""
    for row in rows:
        a, b = row.require("a"), row.require("b")
        if a == b:
            raise row.error("b", "a district cannot neighbour itself", "correct the code")
        _edge(row, g, min(a, b), "neighbours", max(a, b))


@table_kind("reorganisations", "old,new,date,source", EDGES)
def read_reorganisations(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """An area or body replaced by another on a date (reorganisation or merger)."""
    for row in rows:
        _edge(row, g, row.require("old"), "succeeded_by", row.require("new"),
              date=row.date("date"))
