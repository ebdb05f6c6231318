"""The bulk path: `lisgraph neo4j import-files` + neo4j-admin's offline importer into a separate
instance (scripts/neo4j-bulk-import.sh), checked against the local graph on a real server.

Needs Java and the Neo4j jars the test server uses (`scripts/neo4j-server.sh install`); skips
without them, fails under CI. Runs its own instance (port 7689, a temporary home), never the
test server's, and stops it afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lisgraph.neo4j.bulk import write_import_files
from lisgraph.neo4j.projection import project

ROOT = Path(__file__).resolve().parent.parent
JARS = Path.home() / ".cache" / "lisgraph-neo4j" / os.environ.get("LISGRAPH_NEO4J_VERSION",
                                                                  "5.26.30") / "lib"


def test_import_files_carry_every_row_with_its_type(bundled, tmp_path):
    rows = project(bundled)
    args = write_import_files(rows, tmp_path)
    assert "--array-delimiter=U+001F" in args
    files = [a.split("=", 1)[1] for a in args if a.startswith(("--nodes=", "--relationships="))]
    lines = sum(len((tmp_path / f).read_text(encoding="utf-8").splitlines()) - 1 for f in files)
    assert lines == rows.node_count + rows.relationship_count + 1  # + the meta node
    header = (tmp_path / "nodes_District.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("code:ID(Entity),name:string,") and "lat:double" in header
    assert "sources:string[]" in header and header.endswith(":LABEL")
    rel = (tmp_path / "relationships_PART_OF.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "valid_from:date" in rel and rel.startswith(":START_ID(Entity),:END_ID(Entity),")


@pytest.mark.neo4j
def test_bulk_import_into_a_separate_instance_matches_the_local_graph(tmp_path, bundled):
    if not (JARS / ".complete").is_file() or shutil.which("java") is None:
        message = f"no Neo4j jars at {JARS} or no java: scripts/neo4j-server.sh install"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    lisgraph = Path(sys.executable).parent / "lisgraph"
    env = dict(os.environ, LISGRAPH_BULK_HOME=str(tmp_path / "bulk"), LISGRAPH_BULK_PORT="7689",
               LISGRAPH_BULK_VERIFY="1", LISGRAPH=str(lisgraph))
    env.pop("NEO4J_URI", None)
    script = str(ROOT / "scripts" / "neo4j-bulk-import.sh")
    try:
        # symlink the test server's jars into the temporary home: no second download
        (tmp_path / "bulk" / JARS.parent.name).mkdir(parents=True)
        (tmp_path / "bulk" / JARS.parent.name / "lib").symlink_to(JARS)
        proc = subprocess.run(["bash", script], env=env, capture_output=True, text=True,
                              timeout=900)
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert "matches the local graph (content verified)" in proc.stderr
        assert "NEO4J_URI=bolt://127.0.0.1:7689" in proc.stdout
        out = subprocess.run([str(lisgraph), "overlaps", "Oxfordshire", "--backend", "neo4j",
                              "--format", "json"], env=dict(env, NEO4J_URI="bolt://127.0.0.1:7689"),
                             capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr
        from lisgraph.analysis import overlaps

        assert json.loads(out.stdout) == json.loads(json.dumps(overlaps(bundled, "Oxfordshire")))
    finally:
        subprocess.run(["bash", script, "stop"], env=env, capture_output=True, timeout=120)


def test_the_bulk_script_refuses_the_test_servers_home_and_port(tmp_path):
    script = str(ROOT / "scripts" / "neo4j-bulk-import.sh")
    for extra, message in (({"LISGRAPH_BULK_HOME": str(Path.home() / ".cache" / "lisgraph-neo4j")},
                            "test server's home"),
                           ({"LISGRAPH_BULK_HOME": str(tmp_path), "LISGRAPH_BULK_PORT": "7687"},
                            "test server's port")):
        proc = subprocess.run(["bash", script], env=dict(os.environ, **extra),
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 1 and message in proc.stderr
