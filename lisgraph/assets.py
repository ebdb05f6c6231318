"""Where the declarative folders (schema/, loaders/, queries/) are, installed or not.

They ship inside the wheel as ``lisgraph._schema``, ``lisgraph._loaders`` and
``lisgraph._queries``; in an editable install setuptools maps the same names to the
top-level folders. Code finds them only through this module.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

__all__ = ["schema_dir", "loaders_dir", "queries_dir"]


def schema_dir() -> Traversable:
    return resources.files("lisgraph._schema")


def loaders_dir() -> Traversable:
    return resources.files("lisgraph._loaders")


def queries_dir() -> Traversable:
    return resources.files("lisgraph._queries")
