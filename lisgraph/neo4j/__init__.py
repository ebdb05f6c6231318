"""The Neo4j backend: push the canonical graph to a real server, query it with Cypher, check it."""

from __future__ import annotations

from .connection import (
    Connection,
    Neo4jAuthError,
    Neo4jError,
    Neo4jQueryError,
    Neo4jUnavailable,
    Settings,
    connect,
)
from .projection import Projection, project
from .push import PushSummary, push, wipe
from .queries import run_named
from .status import Status, database_digest, status

__all__ = [
    "Connection", "Neo4jAuthError", "Neo4jError", "Neo4jQueryError", "Neo4jUnavailable",
    "Projection", "PushSummary", "Settings", "Status", "connect", "database_digest", "project",
    "push", "run_named", "status", "wipe",
]
