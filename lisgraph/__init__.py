"""lisgraph: a knowledge graph of England's places, bodies, partners and Local Industrial Strategies.

The public names are imported on first use, so that `lisgraph --help` does not pay for them.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = [
    "KnowledgeGraph", "load_graph", "resolve", "profile", "summary", "list_places",
    "LisgraphError", "InputError", "PlaceNotFound",
]
__version__ = "0.1.0"

_WHERE = {
    "KnowledgeGraph": "graph", "load_graph": "ingest", "resolve": "places",
    "profile": "profiles", "summary": "profiles", "list_places": "profiles",
    "LisgraphError": "errors", "InputError": "errors", "PlaceNotFound": "errors",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module 'lisgraph' has no attribute {name!r}")
