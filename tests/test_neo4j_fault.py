"""Fault test: the server is stopped in the middle of `lisgraph neo4j push`.

The push must end with one clear error line and exit 1; after a restart the same push
completes and the graph equals a clean push. Needs the local server run by
scripts/neo4j-server.sh (the test stops and starts it); skips otherwise, fails under CI.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .test_neo4j_push import require_neo4j

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parent.parent
SERVER = ROOT / "scripts" / "neo4j-server.sh"


def server(command: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(SERVER), command], capture_output=True, text=True,
                          timeout=300, check=False)


@pytest.fixture(scope="module")
def local_server():
    """The script's server, running; the test may stop it."""
    with require_neo4j() as conn:
        uri = conn.settings.uri
    if server("status").returncode != 0 or uri.rstrip("/") != server("status").stdout.strip():
        if os.environ.get("CI"):
            pytest.fail(f"Neo4j at {uri} is not the one scripts/neo4j-server.sh runs")
        pytest.skip(f"Neo4j at {uri} is not run by scripts/neo4j-server.sh, which this test "
                    "stops and starts: start it with scripts/neo4j-server.sh start")
    yield
    assert server("start").returncode == 0  # leave it running for the other tests


def push_cli(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "lisgraph", "neo4j", "push", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_stopping_the_server_mid_push_then_pushing_again(local_server, bundled):
    from lisgraph.neo4j import connect, database_digest, project, push, status, wipe

    total = len(bundled.nodes) + len(bundled.edges)
    with connect() as conn:
        wipe(conn)
        # one row per transaction: about ten seconds of pushing, time enough to stop the server
        proc = push_cli("--batch-size", "1", "--retry-seconds", "2", "--no-evidence")
        deadline = time.monotonic() + 60
        while conn.read("MATCH (n:Entity) RETURN count(n) AS c")[0]["c"] < 100:
            assert proc.poll() is None and time.monotonic() < deadline, "push did not start"
            time.sleep(0.05)
    stopped = server("stop")
    assert stopped.returncode == 0, stopped.stderr
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err
    lines = err.strip().splitlines()
    errors = [line for line in lines if line.startswith("Error: ")]
    assert len(errors) == 1 and lines[-1] == errors[0] and "Traceback" not in err, err
    assert errors[0].startswith("Error: lost the connection to Neo4j at bolt://")
    assert "run the same push again to finish" in errors[0]
    assert out == ""

    assert server("start").returncode == 0
    with connect() as conn:
        st = status(bundled, conn)
        assert "the last push did not finish: run lisgraph neo4j push again" in st.differences
        held = conn.read("MATCH (n:Entity) RETURN count(n) AS c")[0]["c"]
        rels = conn.read("MATCH (:Entity)-[r]->(:Entity) RETURN count(r) AS c")[0]["c"]
        assert 100 <= held + rels < total  # cut off in the middle

    again = push_cli("--batch-size", "1", "--no-evidence")
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    with connect() as conn:
        resumed = database_digest(conn)
        assert status(bundled, conn, verify=True).matches
        push(bundled, conn, wipe=True)  # a clean push
        assert database_digest(conn) == resumed == project(bundled).digest()


def test_server_script_is_idempotent(local_server):
    first, again = server("start"), server("start")
    assert first.returncode == again.returncode == 0
    assert again.stdout.strip() == first.stdout.strip()
    assert again.stdout.strip().startswith("bolt://127.0.0.1:")
    assert "already running" in again.stderr
    assert server("status").returncode == 0
    assert server("install").returncode == 0 and "installed in" in server("install").stderr
