"""A cache of the graph built from the bundled data alone, so a one-off command starts fast.

Building the bundled graph reads and checks some 40 CSV files (about 0.3 s on a 2-core
machine); reading it back from the cache takes a few milliseconds. The cache is only ever used
for ``load_graph()`` with the bundled data and no ``--data`` (a user's files are always read,
so their warnings and errors are always shown). An entry is valid only for the exact inputs it
was built from: its key hashes the Python version, lisgraph's version and the path, size and
modification time of every file that can change the graph — the package's code, the schema and
the bundled data. Anything unreadable, stale or of another key is ignored and rebuilt; a cache
that cannot be written (read-only home, full disk) is skipped silently, never an error.

Where: ``$LISGRAPH_CACHE_DIR``, else ``$XDG_CACHE_HOME/lisgraph``, else ``~/.cache/lisgraph``;
one file, ``graph-bundled.pickle``, which lisgraph owns and replaces. ``LISGRAPH_CACHE=off``
turns the cache off. The file is a pickle: like any file in your cache directory, whoever can
write it can run code as you, so the cache directory must be yours alone (it is by default).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from .graph import KnowledgeGraph

__all__ = ["bundled_graph", "cache_file", "cached", "fingerprint"]

_NAME = "graph-bundled.pickle"
_SUFFIXES = (".py", ".toml", ".csv", ".json")


def cache_file() -> Path | None:
    """The cache file's path, or None when the cache is turned off."""
    if os.environ.get("LISGRAPH_CACHE", "").lower() in ("off", "0", "no", "false"):
        return None
    base = os.environ.get("LISGRAPH_CACHE_DIR")
    if base:
        return Path(base) / _NAME
    xdg = os.environ.get("XDG_CACHE_HOME")
    root = Path(xdg) if xdg else Path.home() / ".cache"
    return root / "lisgraph" / _NAME


def _roots() -> list[Path] | None:
    from . import __file__ as package_init
    from .assets import loaders_dir, schema_dir

    roots = [Path(package_init).parent, loaders_dir(), schema_dir()]
    if not all(isinstance(r, Path) for r in roots):  # zipped install: no stable stat
        return None
    return roots  # type: ignore[return-value]


def fingerprint(roots: Iterable[Path]) -> str:
    """A key for the inputs under ROOTS: every code, schema and data file's path, size and
    modification time, with the Python and lisgraph versions."""
    from . import __version__

    h = hashlib.sha256(f"{sys.version}|{__version__}|{pickle.HIGHEST_PROTOCOL}".encode())
    for root in roots:
        for folder, subfolders, files in os.walk(root):
            subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
            for name in sorted(files):
                if name.endswith(_SUFFIXES):
                    st = os.stat(os.path.join(folder, name))
                    h.update(f"{folder}/{name}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _read(file: Path, key: str) -> KnowledgeGraph | None:
    try:
        with open(file, "rb") as fh:
            stored_key, graph = pickle.load(fh)
    except Exception:  # absent, truncated, of another version: rebuild
        return None
    return graph if stored_key == key and isinstance(graph, KnowledgeGraph) else None


def _write(file: Path, key: str, graph: KnowledgeGraph) -> None:
    tmp = None
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".graph-", suffix=".tmp", dir=file.parent)
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((key, graph), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, file)
        tmp = None
    except Exception:  # a cache that cannot be written is skipped, never an error
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def cached(build: Callable[[], KnowledgeGraph],
           roots: Iterable[Path] | None = None) -> KnowledgeGraph:
    """The graph BUILD returns, read from the cache when its key matches, else built and
    stored. ROOTS (default: the package, schema and bundled data) give the key."""
    file = cache_file()
    roots = list(roots) if roots is not None else _roots()
    if file is None or roots is None:
        return build()
    key = fingerprint(roots)
    graph = _read(file, key)
    if graph is not None:
        return graph
    graph = build()
    _write(file, key, graph)
    return graph


def bundled_graph() -> KnowledgeGraph:
    """``load_graph()`` of the bundled data alone; on a cache hit the loaders are not imported."""

    def build() -> KnowledgeGraph:
        from .ingest import build_quietly

        return build_quietly([], True)

    return cached(build)
