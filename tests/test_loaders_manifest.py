"""Manifests (one .toml per source): bad ones are one line, column renames work."""

from __future__ import annotations

import pytest

from lisgraph import load_graph

from .loader_inputs import MANIFEST, load_error, write_set


@pytest.mark.parametrize("manifest,expect", [
    (MANIFEST.encode("utf-8").replace(b"Test data", b"Test d\xe4ta"), ["data.toml:2", "not UTF-8"]),
    (MANIFEST.encode("utf-16"), ["data.toml:1", "UTF-16"]),
    (MANIFEST.replace('vintage = "2021"', "vintage = [2021]"), ["'vintage'", "is a list, not text"]),
    (MANIFEST.replace('title = "Test data"', "title = 5"), ["'title'", "is a number, not text"]),
    (MANIFEST.replace("[[tables]]", "tables = 3\n[other]"), ["'tables'", "not a list of tables"]),
    (MANIFEST.replace('kind = "regions"', "kind = 7"), ["'tables[1].kind'", "unknown table kind"]),
    (MANIFEST.replace('file = "regions.csv"', "file = 1"), ["'tables[1].file'", "not text"]),
    (MANIFEST + "columns = 5\n", ["'tables[1].columns'", "not a table of column names"]),
    (MANIFEST + "[tables.columns]\nnmae = \"NAME\"\n", ["'tables[1].columns.nmae'", "not a column"]),
    (MANIFEST.replace('url = "https://example.org"', 'url = "ftp://example.org"'),
     ["'url'", "http(s)"]),
    (MANIFEST + "deep = " + "[" * 5000 + "]" * 5000 + "\n", ["data.toml", "nested too deeply"]),
    (MANIFEST.replace('file = "regions.csv"', 'file = "."'), ["'tables[1].file'", "is a folder"]),
    (MANIFEST.replace('file = "regions.csv"', 'file = "missing.csv"'),
     ["'tables[1].file'", "no such file"]),
    (MANIFEST.replace("[[tables]]", "[tables]"), ["'tables'", "not a list of tables"]),
])
def test_bad_manifests_are_one_line(tmp_path, manifest, expect):
    write_set(tmp_path)
    path = tmp_path / "data.toml"
    path.write_bytes(manifest if isinstance(manifest, bytes) else manifest.encode("utf-8"))
    message = load_error([path])
    for fragment in expect:
        assert fragment in message, message


def test_manifest_renames_columns(tmp_path):
    write_set(tmp_path, regions_csv="GSS,NAME,source\nE12000002,North West,s1\n")
    (tmp_path / "data.toml").write_text(MANIFEST + '[tables.columns]\ncode = "GSS"\nname = "NAME"\n',
                                        encoding="utf-8")
    g = load_graph([tmp_path], bundled=False)
    assert g.nodes["E12000002"].name == "North West"
