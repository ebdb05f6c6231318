"""Loading: bundled manifests and user files (--data) into one checked KnowledgeGraph."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..assets import loaders_dir
from ..csvtable import read_header, read_rows, read_text
from ..errors import DataIntegrityError, InputError
from ..graph import KnowledgeGraph
from . import tables as _tables  # noqa: F401  (registers the table kinds)
from . import england as _england  # noqa: F401  (registers England-now table kinds)
from .manifest import Manifest, parse_manifest
from .ons import detect_ons_layout, read_ons_lookup
from .registry import TABLE_KINDS, TableKind

__all__ = ["load_graph", "bundled_manifests", "TABLE_KINDS", "Manifest"]


class _Readable(Protocol):
    name: str

    def read_bytes(self) -> bytes: ...

    def read_text(self, encoding: str = ...) -> str: ...


@dataclass(frozen=True)
class _Job:
    kind: TableKind | None  # None: an ONS lookup
    file: _Readable
    label: str
    columns: dict[str, str]


def bundled_manifests() -> list[Manifest]:
    """The manifests shipped in loaders/, sorted by file name."""
    root = loaders_dir()
    entries = sorted((p for p in root.iterdir() if p.name.endswith(".toml")), key=lambda p: p.name)
    return [parse_manifest(p.read_text(encoding="utf-8"), f"loaders/{p.name}") for p in entries]


def _manifest_jobs(manifest: Manifest, root: _Readable, prefix: str) -> list[_Job]:
    jobs = []
    for t in manifest.tables:
        f = root.joinpath(t.file)  # type: ignore[attr-defined]
        if not f.is_file():
            raise InputError(manifest.path, None, "tables.file", f"'{t.file}' does not exist",
                             "correct the path (relative to the manifest)")
        jobs.append(_Job(TABLE_KINDS[t.kind], f, f"{prefix}{t.file}", t.columns))
    return jobs


def _detect_kind(path: Path) -> _Job:
    text = read_text(path)
    header = read_header(text, str(path))
    if detect_ons_layout(header):
        return _Job(None, path, str(path), {})
    stem = path.stem.lower()
    named = [k for k in TABLE_KINDS.values() if stem == k.name or stem.endswith("_" + k.name)]
    fits = named or [k for k in TABLE_KINDS.values() if set(k.required) <= set(header)]
    if len(fits) == 1:
        return _Job(fits[0], path, str(path), {})
    if not fits:
        best = max(TABLE_KINDS.values(), key=lambda k: len(set(k.required) & set(header)))
        missing = [c for c in best.required if c not in header]
        raise InputError(path, 1, missing[0], "missing column",
                         f"a {best.name} table needs: {', '.join(best.required)} "
                         "(see loaders/FORMAT.md)")
    raise InputError(path, 1, None, f"header fits several tables ({', '.join(k.name for k in fits)})",
                     "name the file after its table (e.g. priorities.csv) or list it in a manifest")


def _user_jobs(paths: Iterable[Path]) -> list[_Job]:
    jobs: list[_Job] = []
    for path in map(Path, paths):
        if not path.exists():
            raise InputError(path, None, None, "no such file or folder", "check the --data path")
        if path.is_dir():
            manifests = sorted(path.glob("*.toml"))
            claimed: set[Path] = set()
            for m in manifests:
                manifest = parse_manifest(m.read_text(encoding="utf-8"), str(m))
                jobs += _manifest_jobs(manifest, path, f"{path}/")  # type: ignore[arg-type]
                claimed |= {(path / t.file).resolve() for t in manifest.tables}
            for csv_path in sorted(path.rglob("*.csv")):
                if csv_path.resolve() not in claimed:
                    jobs.append(_detect_kind(csv_path))
        elif path.suffix == ".toml":
            manifest = parse_manifest(path.read_text(encoding="utf-8"), str(path))
            jobs += _manifest_jobs(manifest, path.parent, f"{path.parent}/")  # type: ignore[arg-type]
        elif path.suffix.lower() == ".csv":
            jobs.append(_detect_kind(path))
        elif path.suffix.lower() in (".ttl", ".nt", ".jsonld", ".json-ld"):
            from ..rdf.importer import rdf_table_kind  # RDF in lisgraph's vocabulary

            jobs.append(_Job(rdf_table_kind(path), path, str(path), {}))
        else:
            raise InputError(path, None, None, f"cannot read '{path.suffix}' files",
                             "give CSV files, a folder of them, a manifest (.toml) or RDF "
                             "(.ttl, .nt, .jsonld)")
    return jobs


def load_graph(data: Iterable[str | Path] = (), bundled: bool = True) -> KnowledgeGraph:
    """Build the graph from the bundled data and/or the user's files.

    Parameters
    ----------
    data : paths to CSV files, folders of them, or manifests (the ``--data`` option)
    bundled : include the data shipped with lisgraph

    Returns
    -------
    KnowledgeGraph, complete and checked: either every file loads or an error is raised and
    no graph is returned (nothing is half-loaded).

    Raises
    ------
    InputError, DataIntegrityError: one line naming the file, line, field and the fix.
    """
    jobs: list[_Job] = []
    if bundled:
        root = loaders_dir()
        for manifest in bundled_manifests():
            jobs += _manifest_jobs(manifest, root, "loaders/")  # type: ignore[arg-type]
    jobs += _user_jobs(data)
    if not jobs:
        raise DataIntegrityError("no data: drop --no-bundled or give files with --data")
    g = KnowledgeGraph()
    for job in sorted(jobs, key=lambda j: j.kind.phase if j.kind else 3):
        if job.kind is None:
            data_bytes = job.file.read_bytes()
            header = read_header(read_text(job.file, job.label), job.label)
            read_ons_lookup(job.label, data_bytes, detect_ons_layout(header), g)  # type: ignore[arg-type]
        else:
            job.kind.reader(read_rows(job.file, job.kind.required, job.label, job.columns), g)
    g.finalize()
    g.check()
    return g
