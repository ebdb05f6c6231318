"""A connection to a Neo4j server, with driver errors turned into one-line lisgraph errors.

Settings come from arguments or from ``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD`` and
``NEO4J_DATABASE``; the defaults are those of the local server that
``scripts/neo4j-server.sh start`` runs. The password is never part of a repr or a message.
The driver is imported when a connection opens, not when this module is imported.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ..errors import LisgraphError, MissingExtra
from ..gcpause import gc_paused

__all__ = [
    "DEFAULT_PASSWORD", "DEFAULT_URI", "DEFAULT_USER", "START_HINT", "Connection",
    "Neo4jAuthError", "Neo4jError", "Neo4jQueryError", "Neo4jUnavailable", "Settings",
    "connect", "plain",
]

DEFAULT_URI = "bolt://127.0.0.1:7687"
DEFAULT_USER = "neo4j"
#: the password scripts/neo4j-server.sh gives the local server (set NEO4J_PASSWORD for others)
DEFAULT_PASSWORD = "lisgraph-local"
START_HINT = "start it with scripts/neo4j-server.sh start (or set NEO4J_URI)"
SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


class Neo4jError(LisgraphError):
    """Something went wrong talking to Neo4j."""


class Neo4jUnavailable(Neo4jError):
    """The server cannot be reached, or went away during the work."""


class Neo4jAuthError(Neo4jError):
    """The server refused the credentials."""


class Neo4jQueryError(Neo4jError):
    """The server rejected a statement."""


def _display_uri(uri: str) -> str:
    """The URI without any user:password part, fit for messages."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return uri.split("://", 1)[0] + "://" + uri.rsplit("@", 1)[-1] if "@" in uri else uri
    if "@" not in parts.netloc:
        return uri
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


@dataclass(frozen=True)
class Settings:
    """Where and how to connect; ``repr`` leaves the password out.

    >>> s = Settings("bolt://127.0.0.1:7687", "neo4j", "s3cret")
    >>> "s3cret" in repr(s)
    False
    """

    uri: str = DEFAULT_URI
    user: str = DEFAULT_USER
    password: str = field(default=DEFAULT_PASSWORD, repr=False)
    database: str | None = None
    #: how long a batch is retried while the server is unavailable (clusters elect leaders)
    retry_seconds: float = 10.0

    @classmethod
    def from_env(cls, uri: str | None = None, user: str | None = None,
                 password: str | None = None, database: str | None = None,
                 retry_seconds: float | None = None) -> Settings:
        """Arguments first, then the ``NEO4J_*`` environment variables, then the defaults."""
        env = os.environ
        return cls(
            uri=uri or env.get("NEO4J_URI") or DEFAULT_URI,
            user=user or env.get("NEO4J_USER") or DEFAULT_USER,
            password=env.get("NEO4J_PASSWORD", DEFAULT_PASSWORD) if password is None else password,
            database=database or env.get("NEO4J_DATABASE") or None,
            retry_seconds=10.0 if retry_seconds is None else retry_seconds,
        )

    @property
    def where(self) -> str:
        return _display_uri(self.uri)

    def check(self) -> None:
        """Refuse URIs the Bolt driver should not be given (HTTP, credentials inside)."""
        try:
            parts = urlsplit(self.uri)
        except ValueError as e:
            raise Neo4jError(f"NEO4J_URI '{self.where}' is not a URI: {e}") from None
        if parts.scheme not in SCHEMES:
            raise Neo4jError(f"NEO4J_URI '{self.where}' is not a Bolt URI: use bolt://HOST:7687, "
                             "neo4j://HOST or neo4j+s://HOST (Aura)")
        if "@" in parts.netloc:
            raise Neo4jError(f"NEO4J_URI '{self.where}' carries credentials: put the user in "
                             "NEO4J_USER and the password in NEO4J_PASSWORD")


_SCALAR = frozenset({str, int, float, bool, type(None)})


def plain(value: Any) -> Any:
    """A value from the driver as plain Python: dates as ``datetime.date``, lists, dicts.

    Scalars inside lists and maps are kept without a call each (answers of thousands of rows
    are mostly short strings).

    >>> plain([1, "a", (2.5, None)])
    [1, 'a', [2.5, None]]
    """
    kind = type(value)
    if kind in _SCALAR:
        return value
    if kind is list or kind is tuple:
        return [v if type(v) in _SCALAR else plain(v) for v in value]
    if kind is dict:
        return {k: v if type(v) in _SCALAR else plain(v) for k, v in value.items()}
    if isinstance(value, (date, datetime)):
        return value
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    to_native = getattr(value, "to_native", None)
    if to_native is not None:  # neo4j.time.Date / DateTime / Time
        return to_native()
    items = getattr(value, "items", None)
    if items is not None:  # neo4j.graph.Node / Relationship: their properties
        return {k: plain(v) for k, v in items()}
    return str(value)


def _import_driver() -> Any:
    """The driver module, imported without its optional numpy/pandas support: the driver
    imports pandas when it is installed (2 s of a 3.5 s import), and lisgraph passes and reads
    plain values only. Modules already imported are left alone."""
    blocked = [m for m in ("pandas", "numpy") if m not in sys.modules]
    for m in blocked:
        sys.modules[m] = None  # type: ignore[assignment]  # makes `import m` raise ImportError
    try:
        import neo4j
        from neo4j import exceptions  # noqa: F401
    finally:
        for m in blocked:
            if sys.modules.get(m, 0) is None:
                del sys.modules[m]
    return neo4j


class Connection:
    """An open driver for one server; use as a context manager or call :meth:`close`."""

    def __init__(self, settings: Settings):
        try:
            neo4j = _import_driver()
            from neo4j import exceptions as neo4j_exceptions
        except ImportError:
            raise MissingExtra("the neo4j driver", "neo4j") from None
        settings.check()
        self.settings = settings
        self._exc = neo4j_exceptions
        with self.errors("connecting"):
            self.driver = neo4j.GraphDatabase.driver(
                settings.uri, auth=(settings.user, settings.password),
                max_transaction_retry_time=settings.retry_seconds,
                connection_acquisition_timeout=max(settings.retry_seconds, 5.0),
            )
        try:
            with self.errors("connecting"):
                self.driver.verify_connectivity()
        except Neo4jError:
            self.driver.close()
            raise

    def __repr__(self) -> str:
        return f"Connection({self.settings.where!r}, user={self.settings.user!r})"

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.driver.close()

    def _session(self) -> Any:
        return self.driver.session(database=self.settings.database)

    def read(self, query: str, params: Mapping[str, Any] | None = None,
             each: Callable[[dict[str, Any]], Any] | None = None,
             plain_values: bool = False) -> list[Any]:
        """Run a read query in a managed transaction; rows as plain dicts, or what ``each``
        makes of every row, called as the row arrives (the client's work on one row overlaps
        the server's on the next: the server streams every row without waiting to be asked).
        A transaction retried after a transient error calls ``each`` on its rows again.
        ``plain_values``: the query returns only lists, maps, strings, numbers, booleans and
        nulls (dates sent by :func:`~lisgraph.neo4j.answers.day`), so the rows need no
        conversion by :func:`plain`."""
        def work(tx: Any) -> list[Any]:
            result = tx.run(query, dict(params or {}))
            if plain_values:
                keys = result.keys()
                rows = (dict(zip(keys, record)) for record in result)
            else:
                rows = ({k: v if type(v) in _SCALAR else plain(v) for k, v in record.items()}
                        for record in result)
            return list(rows) if each is None else [each(row) for row in rows]

        with self.errors("reading"), gc_paused(), self.driver.session(
                database=self.settings.database, fetch_size=-1) as session:
            return session.execute_read(work)

    def write(self, query: str, params: Mapping[str, Any] | None = None) -> dict[str, int]:
        """Run one write query as one transaction (retried while transient); its counters."""
        def work(tx: Any) -> dict[str, int]:
            summary = tx.run(query, dict(params or {})).consume()
            c = summary.counters
            return {"nodes_created": c.nodes_created, "relationships_created":
                    c.relationships_created, "properties_set": c.properties_set,
                    "nodes_deleted": c.nodes_deleted,
                    "relationships_deleted": c.relationships_deleted}

        with self.errors("writing"), self._session() as session:
            return session.execute_write(work)

    def run(self, query: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a statement in an auto-commit transaction (schema changes need one)."""
        with self.errors("running a statement"), self._session() as session:
            result = session.run(query, dict(params or {}))
            return [{k: plain(v) for k, v in r.items()} for r in result]

    def server_version(self) -> str:
        with self.errors("asking the server's version"):
            agent = self.driver.get_server_info().agent  # "Neo4j/5.26.30"
        edition = self.run("CALL dbms.components() YIELD edition RETURN edition")
        return f"{agent.split('/', 1)[-1]} {edition[0]['edition'] if edition else ''}".strip()

    @contextmanager
    def errors(self, doing: str) -> Iterator[None]:
        """Turn the driver's exceptions into :class:`Neo4jError` with one-line messages."""
        exc = self._exc
        where, secret = self.settings.where, self.settings.password
        try:
            yield
        except exc.AuthError:
            raise Neo4jAuthError(
                f"Neo4j at {where} refused the credentials of user '{self.settings.user}': "
                "set NEO4J_USER and NEO4J_PASSWORD") from None
        except (exc.ServiceUnavailable, exc.SessionExpired, ConnectionError) as e:
            if doing == "connecting":
                raise Neo4jUnavailable(f"cannot reach Neo4j at {where}: {START_HINT}") from None
            raise Neo4jUnavailable(
                f"lost the connection to Neo4j at {where} while {doing} ({_first_line(e, secret)})"
            ) from None
        except exc.ConfigurationError as e:
            raise Neo4jError(f"cannot use NEO4J_URI {where}: {_first_line(e, secret)}") from None
        except exc.Neo4jError as e:
            if "DatabaseUnavailable" in (e.code or ""):  # the server is stopping or starting
                raise Neo4jUnavailable(
                    f"lost the connection to Neo4j at {where} while {doing} (the database is "
                    "unavailable)") from None
            if ".Security." in (e.code or ""):  # e.g. too many failed logins in a row
                raise Neo4jAuthError(f"Neo4j at {where} refused user '{self.settings.user}': "
                                     f"{e.code}: {_first_line(e.message or '', secret)}") from None
            raise Neo4jQueryError(f"Neo4j at {where} rejected a statement while {doing}: "
                                  f"{e.code}: {_first_line(e.message or '', secret)}") from None
        except exc.DriverError as e:
            raise Neo4jUnavailable(
                f"Neo4j at {where} failed while {doing}: {_first_line(e, secret)}") from None
        except ValueError as e:
            if doing != "connecting":
                raise
            raise Neo4jError(f"cannot use NEO4J_URI {where}: {_first_line(e, secret)}") from None


def _first_line(e: object, secret: str = "") -> str:
    text = str(e).strip().splitlines()
    line = (text[0] if text else type(e).__name__)[:200]
    return line.replace(secret, "***") if secret else line


def connect(settings: Settings | None = None, **options: Any) -> Connection:
    """Open a connection: ``settings``, or :meth:`Settings.from_env` with ``options``.

    Raises :class:`Neo4jUnavailable` (with how to start the local server) when the server
    cannot be reached and :class:`Neo4jAuthError` when it refuses the credentials.
    """
    return Connection(settings or Settings.from_env(**options))
