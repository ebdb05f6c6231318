"""``--backend neo4j``: the analyst commands answered by the server, no local graph loaded.

:func:`run` opens a connection (``NEO4J_*``), refuses a server without a finished dataset of
this schema version (:func:`~lisgraph.neo4j.dataset.check_dataset`), resolves a theme given
by name on the server and calls the server-side twin of the embedded analysis.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from ..gcpause import gc_paused
from .connection import Connection, connect
from .dataset import check_dataset

__all__ = ["ANSWERS", "quiet_driver", "run"]


#: analysis -> (module of lisgraph.neo4j, function): only the one asked for is imported (the
#: slice-based ones import the embedded analyses, which the others do not need)
_TWINS = {"overlaps": ("overlaps", "overlaps"), "opportunities": ("opportunities", "opportunities"),
          "gaps": ("gaps", "gaps"), "boundaries": ("boundaries", "boundaries"),
          "path": ("path", "path"), "brokers": ("network", "brokers"),
          "communities": ("network", "communities")}


def _answer(name: str) -> Callable[..., Any]:
    import importlib

    module, function = _TWINS[name]
    return getattr(importlib.import_module(f"{__package__}.{module}"), function)


#: the analyses that have a server-side twin
ANSWERS = ("overlaps", "opportunities", "gaps", "boundaries", "path", "brokers", "communities")
#: twins that would still give the rows of the embedded engine before its analytics changed (main,
#: 2026-12-02) and are not yet ported: they would answer with a note. None since the port of
#: overlaps, opportunities, gaps, path and communities (parity-tested).
BEHIND: dict[str, str] = {}


def quiet_driver() -> None:
    """The driver logs retries and server notifications; the CLI speaks in one line on errors."""
    log = logging.getLogger("neo4j")
    if not any(isinstance(h, logging.NullHandler) for h in log.handlers):
        log.addHandler(logging.NullHandler())
    log.propagate = False


def run(name: str, *args: Any, conn: Connection | None = None, **kwargs: Any) -> Any:
    """The rows of analysis NAME computed on the server (same rows as the embedded one).

    ``theme`` may be an id, a label or an alternative label: it is resolved on the server.
    Raises :class:`~lisgraph.neo4j.dataset.DatasetError` when the server holds no finished
    lisgraph dataset of this schema version, and the connection errors of :func:`connect`.
    """
    if name not in ANSWERS:
        raise ValueError(f"no server-side answer named {name!r}")
    if name in BEHIND:
        import sys

        print(f"note: on Neo4j, {name} {BEHIND[name]}: parity with the embedded engine is "
              "pending", file=sys.stderr)
    quiet_driver()
    own = conn is None
    conn = conn or connect()
    try:
        check_dataset(conn)
        if kwargs.get("theme") is not None:
            from .lookup import resolve_theme

            kwargs["theme"] = resolve_theme(conn, kwargs["theme"])
        with gc_paused():  # answers are thousands of acyclic rows (see lisgraph.gcpause)
            return _answer(name)(conn, *args, **kwargs)
    finally:
        if own:
            conn.close()
