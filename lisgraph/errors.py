"""The exceptions lisgraph raises; the CLI turns each into one line and exit 1."""

from __future__ import annotations

__all__ = [
    "LisgraphError",
    "InputError",
    "DataIntegrityError",
    "PlaceNotFound",
    "AmbiguousPlace",
    "MissingExtra",
]


class LisgraphError(Exception):
    """Base class: a domain error with a message fit for one line on stderr."""


class InputError(LisgraphError):
    """A source file is malformed: names the file, line, field and what to do."""

    def __init__(self, path: object, line: int | None, field: str | None, problem: str, fix: str):
        self.path, self.line, self.field = str(path), line, field
        self.problem, self.fix = problem, fix
        where = self.path + (f":{line}" if line else "")
        what = f"field '{field}': " if field else ""
        super().__init__(f"{where}: {what}{problem} — {fix}")


class DataIntegrityError(LisgraphError):
    """The loaded records are inconsistent with each other or with the schema."""


class PlaceNotFound(LisgraphError):
    """A PLACE given by the user matches no node."""

    def __init__(self, query: str, suggestions: list[str]):
        self.query, self.suggestions = query, suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no place or body matches '{query}'{hint}")


class AmbiguousPlace(LisgraphError):
    """A PLACE given by name matches several nodes equally well."""

    def __init__(self, query: str, candidates: list[str]):
        self.query, self.candidates = query, candidates
        super().__init__(
            f"'{query}' matches several nodes: {', '.join(candidates)}; give the code instead"
        )


class MissingExtra(LisgraphError):
    """An optional dependency is not installed."""

    def __init__(self, module: str, extra: str):
        super().__init__(f"this needs {module}: pip install 'lisgraph[{extra}]'")
