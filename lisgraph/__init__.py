"""lisgraph: a knowledge graph of England's places, bodies, partners and Local Industrial Strategies."""

from __future__ import annotations

from .errors import InputError, LisgraphError, PlaceNotFound
from .graph import KnowledgeGraph
from .ingest import load_graph
from .places import resolve
from .profile import list_places, profile, summary

__all__ = [
    "KnowledgeGraph", "load_graph", "resolve", "profile", "summary", "list_places",
    "LisgraphError", "InputError", "PlaceNotFound",
]
__version__ = "0.1.0"
