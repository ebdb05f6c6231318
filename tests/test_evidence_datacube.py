"""Evidence as W3C Data Cube: export and read back (round trip), and the structure."""

from __future__ import annotations

import pytest

pytest.importorskip("pyoxigraph")

from lisgraph.evidence.observations import EvidenceIndex, Observation, bundled_index
from lisgraph.rdf.datacube import (
    QB,
    datacube_triples,
    measure_iri,
    observation_triples,
    read_datacube,
)
from lisgraph.rdf.export import export

AREAS = ("E08000039", "E47000001", "E06000053", "K02000001")


def _published(index: EvidenceIndex, areas=AREAS) -> dict:
    return {(o.area, o.indicator, o.period): (o.value, o.lci_95, o.uci_95, o.status, o.source)
            for key in sorted(index.series) if key[0] in areas
            for o in index.get(*key) if o.value is not None}


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".jsonld"])
def test_datacube_round_trip(bundled, tmp_path, suffix):
    out = tmp_path / f"graph{suffix}"
    export(bundled, suffix.lstrip("."), out, extra=datacube_triples(bundled_index(), AREAS))
    back = read_datacube(out)
    expected = _published(bundled_index())
    assert len(expected) > 100
    assert _published(back) == expected


def test_suppressed_cell_is_not_written_as_a_value():
    o = Observation("E06000053", "employment-rate", "2019-01-01/P1Y", None, status="x")
    assert list(observation_triples(o)) == []


def test_observation_has_the_three_dimensions_and_its_source():
    o = Observation("E47000001", "gva-per-hour", "2023-01-01/P1Y", 39.767, source="src")
    preds = {p: t for _, p, t in observation_triples(o)}
    assert preds[QB + "measureType"] == ("iri", measure_iri("gva-per-hour"))
    assert preds["http://purl.org/linked-data/sdmx/2009/dimension#refArea"] == (
        "iri", "http://statistics.data.gov.uk/id/statistical-geography/E47000001")
    assert preds["http://purl.org/linked-data/sdmx/2009/dimension#refPeriod"][1].endswith(
        "2023-01-01T00:00:00/P1Y")
    assert preds[measure_iri("gva-per-hour")] == ("lit", "39.767",
                                                  "http://www.w3.org/2001/XMLSchema#decimal")


def test_rdf_package_has_no_import_cycle():
    """alignment, export and ontology no longer import each other in a circle (top-level or
    inside functions)."""
    import ast
    from pathlib import Path

    import lisgraph.rdf

    root = Path(lisgraph.rdf.__file__).parent
    deps = {}
    for p in root.glob("*.py"):
        mods = set()
        for n in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(n, ast.ImportFrom) and n.level == 1:
                mods.update([n.module.split(".")[0]] if n.module else [a.name for a in n.names])
        deps[p.stem] = mods & {q.stem for q in root.glob("*.py")}

    def reaches(start, goal, seen=()):
        return any(d == goal or (d not in seen and reaches(d, goal, (*seen, d)))
                   for d in deps.get(start, ()))

    assert not [m for m in deps if reaches(m, m)]
