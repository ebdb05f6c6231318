"""Analyses: each a function from the graph to rows (overlaps, opportunities, gaps, boundaries,
path, assess, brokers, communities)."""

from __future__ import annotations

from .assess import assess
from .boundaries import boundaries
from .gaps import gaps
from .network import brokers, communities
from .opportunities import opportunities
from .overlaps import overlaps
from .path import path

__all__ = ["overlaps", "opportunities", "gaps", "boundaries", "path", "assess", "brokers",
           "communities"]
