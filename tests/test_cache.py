"""The cache of the bundled graph: used only when current, rebuilt when anything changed, never an
error of its own (lisgraph/cache.py)."""

from __future__ import annotations

import os

import pytest

from lisgraph import cache
from lisgraph.ingest import build_quietly, load_graph
from tests.toygraph import toy_graph


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("LISGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("LISGRAPH_CACHE", raising=False)
    return tmp_path / "cache"


@pytest.fixture
def inputs(tmp_path):
    root = tmp_path / "inputs"
    root.mkdir()
    (root / "data.csv").write_text("id\na\n", encoding="utf-8")
    return root


class Builds:
    def __init__(self):
        self.count = 0

    def __call__(self):
        self.count += 1
        return toy_graph()


def _content(g):
    return ({k: (n.type, n.name, n.props, n.sources) for k, n in g.nodes.items()},
            sorted((e.key, e.sources, tuple(sorted(e.props.items()))) for e in g.edges))


def test_second_load_reads_the_cache(cache_dir, inputs):
    build = Builds()
    first = cache.cached(build, [inputs])
    second = cache.cached(build, [inputs])
    assert build.count == 1 and (cache_dir / "graph-bundled.pickle").is_file()
    assert second is not first and _content(second) == _content(first)


def test_a_changed_input_rebuilds(cache_dir, inputs):
    build = Builds()
    cache.cached(build, [inputs])
    (inputs / "data.csv").write_text("id\na\nb\n", encoding="utf-8")  # size changes
    cache.cached(build, [inputs])
    assert build.count == 2
    st = (inputs / "data.csv").stat()
    os.utime(inputs / "data.csv", ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))  # time only
    cache.cached(build, [inputs])
    assert build.count == 3
    (inputs / "new.toml").write_text("", encoding="utf-8")  # a new file
    cache.cached(build, [inputs])
    assert build.count == 4


def test_a_corrupt_cache_is_rebuilt_not_an_error(cache_dir, inputs):
    build = Builds()
    cache.cached(build, [inputs])
    (cache_dir / "graph-bundled.pickle").write_bytes(b"\x80\x05not a pickle")
    g = cache.cached(build, [inputs])
    assert build.count == 2
    assert _content(g) == _content(toy_graph())
    cache.cached(build, [inputs])
    assert build.count == 2  # the rebuilt entry replaced the corrupt one


def test_cache_off_and_unwritable_cache_still_load(cache_dir, inputs, monkeypatch, tmp_path):
    build = Builds()
    monkeypatch.setenv("LISGRAPH_CACHE", "off")
    cache.cached(build, [inputs])
    cache.cached(build, [inputs])
    assert build.count == 2 and not cache_dir.exists()
    monkeypatch.delenv("LISGRAPH_CACHE")
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("mine", encoding="utf-8")
    monkeypatch.setenv("LISGRAPH_CACHE_DIR", str(blocker))
    assert _content(cache.cached(build, [inputs])) == _content(toy_graph())
    assert blocker.read_text(encoding="utf-8") == "mine"  # nothing of the user's replaced
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".graph-")] == []


def test_cached_bundled_graph_equals_a_fresh_build(cache_dir):
    fresh = build_quietly([], True)
    load_graph()  # fills the cache
    assert (cache_dir / "graph-bundled.pickle").is_file()
    assert _content(load_graph()) == _content(fresh)


def test_code_schema_and_bundled_data_are_in_the_key():
    roots = cache._roots()
    assert roots is not None
    names = {p.name for p in roots}
    assert {"lisgraph", "model.toml"} <= names | {f.name for r in roots for f in r.iterdir()}
    assert any((r / "data" / "leps.csv").is_file() for r in roots)  # the bundled tables
