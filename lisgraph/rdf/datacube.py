"""Evidence as W3C Data Cube: each observation a ``qb:Observation`` with the dimensions area
(ONS statistical-geography IRI), period (reference.data.gov.uk interval or day IRI) and
measure type, its value under the indicator's measure property, and its source (PROV).

The data structure definition and the measure properties are lisgraph's own and are generated
here (not in schema/model.toml, which describes the graph, not the observations beside it).
Suppressed or missing cells are not exported: a Data Cube observation must carry its measure
(integrity constraint IC-14), and lisgraph never writes zero for a missing value.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..evidence.indicators import INDICATORS
from ..evidence.observations import EvidenceIndex, Observation, period_bounds
from .vocabulary import LIS, LISID, PREFIXES, STATGEO, camel, source_iri

__all__ = ["QB", "SDMX_DIM", "SDMX_ATT", "DATASET", "DSD", "measure_iri", "period_iri",
           "observation_iri", "structure_triples", "observation_triples", "datacube_triples",
           "read_datacube", "CUBE_PREFIXES"]

QB = "http://purl.org/linked-data/cube#"
SDMX_DIM = "http://purl.org/linked-data/sdmx/2009/dimension#"
SDMX_ATT = "http://purl.org/linked-data/sdmx/2009/attribute#"
INTERVAL = "http://reference.data.gov.uk/id/gregorian-interval/"
DAY = "http://reference.data.gov.uk/id/day/"
DATASET = LISID + "dataset/evidence"
DSD = LISID + "dataset/evidence/structure"
RDF_TYPE, LABEL = PREFIXES["rdf"] + "type", PREFIXES["rdfs"] + "label"
XSD, PROV = PREFIXES["xsd"], PREFIXES["prov"]
CUBE_PREFIXES = {"qb": QB, "sdmx-dimension": SDMX_DIM, "sdmx-attribute": SDMX_ATT}
#: lisgraph's attribute properties on observations
LOWER, UPPER, UNIT = LIS + "lowerBound95", LIS + "upperBound95", LIS + "unit"
START, END = LIS + "periodStart", LIS + "periodEnd"


def _lit(value: str, datatype: str | None = None) -> tuple:
    return ("lit", value, datatype)


def measure_iri(indicator_id: str) -> str:
    """The measure property of an indicator (``gva-per-hour`` -> ``lis:gvaPerHour``)."""
    return LIS + camel(indicator_id.replace("-", "_"))


def period_iri(period: str) -> str:
    """reference.data.gov.uk IRI of an ONS period.

    >>> period_iri("2023-01-01/P1Y")
    'http://reference.data.gov.uk/id/gregorian-interval/2023-01-01T00:00:00/P1Y'
    >>> period_iri("2024-04-17")
    'http://reference.data.gov.uk/id/day/2024-04-17'
    """
    if "/" in period:
        start, duration = period.split("/", 1)
        return f"{INTERVAL}{start}T00:00:00/{duration}"
    return DAY + period


def observation_iri(o: Observation) -> str:
    return (f"{LISID}observation/{quote(o.area, safe='')}/{quote(o.indicator, safe='-')}/"
            f"{quote(o.period.replace('/', '_'), safe='-_')}")


def _num(value: float) -> tuple:
    text = repr(float(value))
    if "e" in text or "E" in text:
        text = f"{value:.15f}".rstrip("0").rstrip(".")
    return _lit(text, XSD + "decimal")


def structure_triples() -> Iterator[tuple[str, str, tuple]]:
    """The dataset, its data structure definition and the measure and attribute properties."""
    yield DATASET, RDF_TYPE, ("iri", QB + "DataSet")
    yield DATASET, LABEL, _lit("lisgraph evidence: official local economic indicators")
    yield DATASET, QB + "structure", ("iri", DSD)
    yield DSD, RDF_TYPE, ("iri", QB + "DataStructureDefinition")
    components = [("dimension", SDMX_DIM + "refArea", 1), ("dimension", SDMX_DIM + "refPeriod", 2),
                  ("dimension", QB + "measureType", 3)]
    components += [("measure", measure_iri(i), None) for i in INDICATORS]
    components += [("attribute", a, None) for a in (UNIT, LOWER, UPPER, SDMX_ATT + "obsStatus")]
    for kind, prop, order in components:
        comp = f"{DSD}/{kind}/{quote(prop.rsplit('#', 1)[-1], safe='')}"
        yield DSD, QB + "component", ("iri", comp)
        yield comp, QB + kind, ("iri", prop)
        if order:
            yield comp, QB + "order", _lit(str(order), XSD + "integer")
        if kind == "attribute":
            yield comp, QB + "componentRequired", _lit("false", XSD + "boolean")
    for ind in INDICATORS.values():
        m = measure_iri(ind.id)
        yield m, RDF_TYPE, ("iri", QB + "MeasureProperty")
        yield m, LABEL, _lit(f"{ind.label} ({ind.unit})")
        yield m, PREFIXES["rdfs"] + "range", ("iri", XSD + "decimal")
    from ..evidence.observations import evidence_sources

    dct = PREFIXES["dcterms"]
    for sid, src in sorted(evidence_sources().items()):
        iri = source_iri(sid)
        yield DATASET, PROV + "wasDerivedFrom", ("iri", iri)
        yield iri, RDF_TYPE, ("iri", PROV + "Entity")
        yield iri, dct + "title", _lit(src["title"])
        yield iri, dct + "publisher", _lit(src["publisher"])
        yield iri, dct + "license", _lit(src["licence"])
        if src.get("url"):
            yield iri, PREFIXES["dcat"] + "landingPage", ("iri", src["url"])
        if src.get("vintage"):
            yield iri, dct + "issued", _lit(src["vintage"])
    for a, label in ((UNIT, "unit of measure"), (LOWER, "lower bound of the 95% interval"),
                     (UPPER, "upper bound of the 95% interval")):
        yield a, RDF_TYPE, ("iri", QB + "AttributeProperty")
        yield a, LABEL, _lit(label)


def observation_triples(o: Observation) -> Iterator[tuple[str, str, tuple]]:
    """One observation's triples (nothing for a suppressed or missing cell)."""
    if o.value is None:
        return
    s = observation_iri(o)
    start, end = period_bounds(o.period)
    yield s, RDF_TYPE, ("iri", QB + "Observation")
    yield s, QB + "dataSet", ("iri", DATASET)
    yield s, SDMX_DIM + "refArea", ("iri", STATGEO + o.area)
    yield s, SDMX_DIM + "refPeriod", ("iri", period_iri(o.period))
    yield s, QB + "measureType", ("iri", measure_iri(o.indicator))
    yield s, measure_iri(o.indicator), _num(o.value)
    yield s, START, _lit(start.isoformat(), XSD + "date")
    yield s, END, _lit(end.isoformat(), XSD + "date")
    ind = INDICATORS.get(o.indicator)
    if ind is not None:
        yield s, UNIT, _lit(ind.unit)
    if o.lci_95 is not None:
        yield s, LOWER, _num(o.lci_95)
    if o.uci_95 is not None:
        yield s, UPPER, _num(o.uci_95)
    if o.status:
        yield s, SDMX_ATT + "obsStatus", _lit(o.status)
    if o.source:
        yield s, PROV + "wasDerivedFrom", ("iri", source_iri(o.source))


def datacube_triples(index: EvidenceIndex, areas: Iterable[str] | None = None
                     ) -> Iterator[tuple[str, str, tuple]]:
    """The structure and every published observation (of ``areas`` when given)."""
    wanted = set(areas) if areas is not None else None
    yield from structure_triples()
    for area, ind in sorted(index.series):
        if wanted is not None and area not in wanted:
            continue
        for o in index.get(area, ind):
            yield from observation_triples(o)


def read_datacube(path: str | Path) -> EvidenceIndex:
    """Observations back from a Data Cube file lisgraph wrote (Turtle, N-Triples, JSON-LD)."""
    from ..errors import InputError
    from .importer import rdf_reader

    ox, path, fmt = rdf_reader(path)
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=getattr(ox.RdfFormat, fmt))
    except (SyntaxError, OSError, ValueError) as exc:
        raise InputError(path, None, None, f"cannot read as RDF: {str(exc).splitlines()[0]}",
                         "give a Data Cube file lisgraph exported") from None
    by_measure = {measure_iri(i): i for i in INDICATORS}
    rows = store.query(f"""
        PREFIX qb: <{QB}> PREFIX sdmx-dimension: <{SDMX_DIM}> PREFIX prov: <{PROV}>
        SELECT ?area ?period ?measure ?value ?lo ?hi ?status ?source WHERE {{
          ?o a qb:Observation ; sdmx-dimension:refArea ?area ; sdmx-dimension:refPeriod ?period ;
             qb:measureType ?measure ; ?measure ?value .
          OPTIONAL {{ ?o <{LOWER}> ?lo }} OPTIONAL {{ ?o <{UPPER}> ?hi }}
          OPTIONAL {{ ?o <{SDMX_ATT}obsStatus> ?status }} OPTIONAL {{ ?o prov:wasDerivedFrom ?source }}
        }}""")

    def val(term: Any) -> str | None:
        return None if term is None else term.value

    index = EvidenceIndex()
    for r in rows:
        period = val(r["period"]) or ""
        period = (period[len(INTERVAL):].replace("T00:00:00", "") if period.startswith(INTERVAL)
                  else period[len(DAY):])
        lo, hi = val(r["lo"]), val(r["hi"])
        index.add(Observation((val(r["area"]) or "")[len(STATGEO):],
                              by_measure[val(r["measure"]) or ""], period, float(val(r["value"])),
                              float(lo) if lo is not None else None,
                              float(hi) if hi is not None else None, val(r["status"]) or "",
                              (val(r["source"]) or "").rsplit("/", 1)[-1]))
    return index
