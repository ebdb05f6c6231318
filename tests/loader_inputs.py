"""Small hand-checkable inputs shared by the loader tests (tests/test_loaders_*.py): lisgraph's
own CSV tables, a manifest, and the one-line error a failed load must give."""

from __future__ import annotations

from pathlib import Path

import pytest

from lisgraph import load_graph
from lisgraph.errors import DataIntegrityError, InputError

__all__ = ["SOURCES", "REGIONS", "DISTRICTS", "PART_OF", "COUNTIES", "PARTNERSHIPS", "MANIFEST",
           "MANIFEST_SOURCES", "write_set", "load_error"]

SOURCES = "id,publisher,title,url,vintage,licence,note\ns1,ONS,Test lookup,https://example.org,2021,OGL-UK-3.0,\n"
REGIONS = "code,name,source\nE12000002,North West,s1\n"
DISTRICTS = (
    "code,name,kind,lat,lon,valid_from,valid_to,source\n"
    "E08000003,Manchester,metropolitan borough,53.47,-2.23,,,s1\n"
    "E08000006,Salford,metropolitan borough,53.48,-2.29,,,s1\n"
)
PART_OF = (
    "member,body,valid_from,valid_to,source\n"
    "E08000003,E12000002,,,s1\n"
    "E08000006,E12000002,2019-01-01,2020-12-31,s1\n"
)
COUNTIES = "code,name,valid_from,valid_to,source\nE10000002,Buckinghamshire,1974-04-01,2020-03-31,s1\n"
PARTNERSHIPS = ("id,name,kind,established,ended,url,source\n"
                "northern-powerhouse,Northern Powerhouse,pan-regional,2014-06-23,,https://example.org/np,s1\n")
MANIFEST = """id = "test"
title = "Test data"
publisher = "ONS"
licence = "OGL-UK-3.0"
vintage = "2021"
url = "https://example.org"
format = "csv"

[[tables]]
kind = "regions"
file = "regions.csv"
"""
MANIFEST_SOURCES = '\n[[tables]]\nkind = "sources"\nfile = "sources.csv"\n'


def write_set(folder: Path, **overrides: str | bytes) -> Path:
    files = {"sources.csv": SOURCES, "regions.csv": REGIONS, "districts.csv": DISTRICTS,
             "part_of.csv": PART_OF}
    files.update({k.replace("_csv", ".csv"): v for k, v in overrides.items()})
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)
    return folder


def load_error(paths, bundled=False) -> str:
    """The one-line message a load fails with."""
    with pytest.raises((InputError, DataIntegrityError)) as info:
        load_graph(paths, bundled=bundled)
    message = str(info.value)
    assert "\n" not in message and " — " in message, message
    return message
