"""Readers for lisgraph's own table format (see loaders/FORMAT.md), one per table kind."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from itertools import combinations

from ..csvtable import Row, split_list
from ..graph import KnowledgeGraph
from ..model import Edge, Node, Origin, Source
from .checks import (
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
from .registry import EDGES, NODES, SOURCES, table_kind

__all__: list[str] = []


def _sources(row: Row) -> tuple[str, ...]:
    ids = tuple(split_list(row.get("source")))
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


@table_kind("districts", "code,name,kind,lat,lon,valid_from,valid_to,source", NODES)
def read_districts(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """Local authority districts (E06/E07/E08/E09) with a reference point."""
    for row in rows:
        _node(row, g, "district", "code", kind=row.get("kind"), lat=_float(row, "lat"),
              lon=_float(row, "lon"), valid_from=row.date("valid_from"),
              valid_to=row.date("valid_to"))


@table_kind("leps", "code,name,alt_codes,former_names,lat,lon,valid_from,valid_to,source", NODES)
def read_leps(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """Local enterprise partnerships (E37), keyed by their latest code."""
    for row in rows:
        _node(row, g, "lep", "code", alt_codes=split_list(row.get("alt_codes")),
              former_names=split_list(row.get("former_names")), lat=_float(row, "lat"),
              lon=_float(row, "lon"), valid_from=row.date("valid_from"),
              valid_to=row.date("valid_to"))


@table_kind("combined_authorities", "code,name,mayoral,established,abolished,source", NODES,
            "first_mayoral_election,lat,lon")
def read_combined_authorities(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """Combined authorities and combined county authorities (E47)."""
    for row in rows:
        _node(row, g, "combined_authority", "code", period=("established", "abolished"), mayoral=_flag(row, "mayoral"),
              valid_from=row.date("established"), valid_to=_day_before(row.date("abolished")),
              first_mayoral_election=row.date("first_mayoral_election")
              if "first_mayoral_election" in row.values else None,
              lat=_float(row, "lat") if "lat" in row.values else None,
              lon=_float(row, "lon") if "lon" in row.values else None)


@table_kind("part_of", "member,body,valid_from,valid_to,source", EDGES, "area_code")
def read_part_of(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """District is part of a region, county, LEP or combined authority, between dates."""
    for row in rows:
        _edge(row, g, row.require("member"), "part_of", row.require("body"),
              area_code=row.get("area_code") if "area_code" in row.values else None)


@table_kind("providers", "ukprn,name,district,lat,lon,source", NODES, "postcode,groups")
def read_providers(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """Higher-education providers, located in a district."""
    for row in rows:
        node = _node(row, g, "provider", "ukprn", lat=_float(row, "lat"), lon=_float(row, "lon"),
                     postcode=row.get("postcode"), groups=split_list(row.get("groups")))
        _edge(row, g, node.id, "located_in", row.require("district"))


@table_kind("themes", "id,scheme,label,alt_labels,broader,source", NODES)
def read_themes(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """The theme taxonomy: foundations, Grand Challenges and sectors."""
    schemes = THEME_SCHEMES
    for row in rows:
        scheme = row.require("scheme")
        if scheme not in schemes:
            raise row.error("scheme", f"{show(scheme)} is not a theme scheme",
                            f"use one of {', '.join(sorted(schemes))}")
        node = _node(row, g, "theme", "id", "label", scheme=scheme,
                     alt_labels=split_list(row.get("alt_labels")))
        if row.get("broader"):
            _edge(row, g, node.id, "broader", row.get("broader"))


@table_kind("strategies", "id,name,body,status,date,url,source", NODES,
            "evidence_url,evaluation")
def read_strategies(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """Local Industrial Strategies and the bodies that published them."""
    statuses = STRATEGY_STATUSES
    for row in rows:
        status = row.require("status")
        if status not in statuses:
            raise row.error("status", f"{show(status)} is not a strategy status",
                            f"use one of {', '.join(sorted(statuses))}")
        node = _node(row, g, "strategy", "id", status=status, date=row.date("date"),
                     url=row.get("url"), evidence_url=row.get("evidence_url"),
                     evaluation=row.get("evaluation"))
        bodies = split_list(row.require("body", "the id of the publishing LEP or combined authority"))
        for body in bodies:
            _edge(row, g, body, "published", node.id)


@table_kind("priorities", "id,strategy,name,themes,source", EDGES)
def read_priorities(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """Headline priorities of strategies, each addressing one or more themes."""
    for row in rows:
        node = _node(row, g, "priority", "id")
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


@table_kind("collaborations", "id,name,members,themes,valid_from,valid_to,source", EDGES)
def read_collaborations(rows: Iterable[Row], g: KnowledgeGraph) -> None:
    """Recorded collaborations: every pair of members collaborates_with each other."""
    for row in rows:
        members = split_list(row.require("members", "two or more ids separated by ';'"))
        if len(set(members)) < 2:
            raise row.error("members", "a collaboration needs at least two members",
                            "list two or more ids separated by ';'")
        themes = split_list(row.get("themes"))
        for theme in themes:
            if theme not in g.nodes:
                raise row.error("themes", f"unknown theme {show(theme)}", "use a theme id from themes.csv")
        for a, b in combinations(sorted(set(members)), 2):
            _edge(row, g, a, "collaborates_with", b, collaboration=row.require("id"),
                  collaboration_name=row.require("name"), themes=themes)


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
