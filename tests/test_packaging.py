"""Packaging: the wheel carries every asset; every manifest and data file has its loader."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from lisgraph.assets import loaders_dir
from lisgraph.ingest import TABLE_KINDS, bundled_manifests

ROOT = Path(__file__).resolve().parent.parent


def test_every_manifest_table_has_a_registered_loader():
    manifests = bundled_manifests()
    assert len(manifests) >= 6
    for m in manifests:
        for t in m.tables:
            assert t.kind in TABLE_KINDS, (m.path, t.kind)


def test_every_bundled_file_is_claimed_by_a_manifest():
    claimed = {t.file for m in bundled_manifests() for t in m.tables}
    root = loaders_dir()
    on_disk = {f"{d}/{p.name}" for d in ("data", "sources") for p in root.joinpath(d).iterdir()
               if p.name.endswith(".csv")}
    assert on_disk == claimed


def test_every_table_kind_is_documented_in_format_md():
    doc = (ROOT / "loaders" / "FORMAT.md").read_text(encoding="utf-8")
    for kind in TABLE_KINDS:
        assert f"`{kind}" in doc, kind


def test_every_manifest_names_its_provenance():
    for m in bundled_manifests():
        assert m.publisher and m.licence and m.vintage and m.url, m.path


@pytest.mark.slow
def test_wheel_carries_every_asset(tmp_path):
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir",
                    str(tmp_path), str(ROOT)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("lisgraph-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = set()
    for folder, target in (("schema", "_schema"), ("loaders", "_loaders"), ("queries", "_queries")):
        for p in (ROOT / folder).rglob("*"):
            if p.is_file() and "__pycache__" not in p.parts:
                expected.add(f"lisgraph/{target}/{p.relative_to(ROOT / folder).as_posix()}")
    assert expected and expected <= names, sorted(expected - names)
    assert not any(n.split("/")[0] in ("schema", "loaders", "queries") for n in names)
