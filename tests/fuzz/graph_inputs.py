"""Graph inputs to fuzz: the project's own CSV tables, a manifest, ONS lookups and RDF exports,
each a small valid fixture (hand-checkable) and how it is loaded."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

from .harness import FIXTURES, Target

__all__ = ["SOURCES", "OWN_FORMAT", "GRAPH_TARGETS", "own_format", "manifest", "fixture_file",
           "user_folder", "rdf_export", "write_files"]

SOURCES = ("id,publisher,title,url,vintage,licence,note\n"
           "s1,Office for National Statistics,Test lookup – café,https://example.org/s1,2021,"
           "OGL-UK-3.0,\n"
           "s2,Example Partnership,Board page,https://example.org/board,2019,unknown,fixture\n")
REGIONS = "code,name,source\nE12000002,North West,s1\nE12000008,South East,s1\n"
COUNTIES = ("code,name,valid_from,valid_to,source\n"
            "E10000002,Buckinghamshire,1974-04-01,2020-03-31,s1\n")
DISTRICTS = ("code,name,kind,lat,lon,valid_from,valid_to,source\n"
             "E08000003,Manchester,metropolitan borough,53.47,-2.23,,,s1\n"
             "E08000006,Salford,metropolitan borough,53.48,-2.29,1974-04-01,,s1\n"
             "E07000004,Aylesbury Vale,non-metropolitan district,51.82,-0.81,,2020-03-31,s1\n")
PART_OF = ("member,body,valid_from,valid_to,source\n"
           "E08000003,E12000002,,,s1\n"
           "E08000006,E12000002,2019-01-01,2020-12-31,s1\n"
           "E07000004,E10000002,,2020-03-31,s1\n"
           "E07000004,E12000008,,,s1;s2\n")
PARTNERSHIPS = ("id,name,kind,established,ended,url,source\n"
                "northern-powerhouse,Northern Powerhouse,pan-regional partnership,2014-06-23,,"
                "https://example.org/np,s2\n")
MEMBERS = ("partnership,member,valid_from,valid_to,source\n"
           "northern-powerhouse,E08000003,2014-06-23,,s2\n")
OWN_FORMAT = {"sources.csv": SOURCES, "regions.csv": REGIONS, "counties.csv": COUNTIES,
              "districts.csv": DISTRICTS, "part_of.csv": PART_OF, "partnerships.csv": PARTNERSHIPS,
              "partnership_members.csv": MEMBERS}
MANIFEST = """id = "fuzz"
title = "Fuzz fixture – café"
publisher = "Office for National Statistics"
licence = "OGL-UK-3.0"
vintage = "2021"
url = "https://example.org/fuzz"
format = "csv"

[[tables]]
kind = "sources"
file = "sources.csv"

[[tables]]
kind = "regions"
file = "areas.csv"

[tables.columns]
code = "GSS"
name = "NAME"
"""


def write_files(folder: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        (folder / name).write_bytes(content.encode("utf-8") if isinstance(content, str) else content)


def own_format(mutated: str) -> Callable[[Path], tuple[Path, list[Path]]]:
    def build(folder: Path) -> tuple[Path, list[Path]]:
        write_files(folder, OWN_FORMAT)
        return folder / mutated, [folder]

    return build


def manifest(folder: Path) -> tuple[Path, list[Path]]:
    write_files(folder, {"sources.csv": SOURCES, "areas.csv": "GSS,NAME,source\nE12000002,North West,s1\n",
                    "fuzz.toml": MANIFEST})
    return folder / "fuzz.toml", [folder / "fuzz.toml"]


def fixture_file(name: str) -> Callable[[Path], tuple[Path, list[Path]]]:
    def build(folder: Path) -> tuple[Path, list[Path]]:
        (folder / name).write_bytes((FIXTURES / name).read_bytes())
        return folder / name, [folder / name]

    return build


def user_folder(mutated: str) -> Callable[[Path], tuple[Path, list[Path]]]:
    def build(folder: Path) -> tuple[Path, list[Path]]:
        for p in (FIXTURES / "user").iterdir():
            (folder / p.name).write_bytes(p.read_bytes())
        return folder / mutated, [folder]

    return build


@cache
def _exported(fmt: str) -> bytes:
    from lisgraph import load_graph
    from lisgraph.rdf.export import export

    with tempfile.TemporaryDirectory() as tmp:
        write_files(Path(tmp), OWN_FORMAT)
        g = load_graph([Path(tmp)], bundled=False)
        out = Path(tmp, f"export.{fmt}")
        export(g, fmt, out)
        return out.read_bytes()


def rdf_export(fmt: str) -> Callable[[Path], tuple[Path, list[Path]]]:
    def build(folder: Path) -> tuple[Path, list[Path]]:
        path = folder / f"graph.{fmt}"
        path.write_bytes(_exported(fmt))
        return path, [path]

    return build


GRAPH_TARGETS: list[Target] = [
    Target("csv sources", own_format("sources.csv"), "csv"),
    Target("csv districts", own_format("districts.csv"), "csv"),
    Target("csv counties", own_format("counties.csv"), "csv"),
    Target("csv part_of", own_format("part_of.csv"), "csv"),
    Target("csv partnerships", own_format("partnerships.csv"), "csv"),
    Target("manifest", manifest, "toml"),
    Target("ONS LEP lookup", fixture_file("LAD21_LEP21_EN_LU.csv"), "ons"),
    Target("ONS CA lookup (BOM, CRLF)", fixture_file("LAD24_CAUTH24_EN_LU.csv"), "ons"),
    Target("ONS region lookup", fixture_file("LAD18_RGN18_EN_LU.csv"), "ons"),
    Target("Turtle export", rdf_export("ttl"), "rdf"),
    Target("N-Triples export", rdf_export("nt"), "rdf"),
    Target("JSON-LD export", rdf_export("jsonld"), "rdf"),
    Target("user partners + bundled", user_folder("partners.csv"), "csv", bundled=True),
    Target("ONS LEP lookup + bundled", fixture_file("LAD21_LEP21_EN_LU.csv"), "ons", bundled=True),
]

