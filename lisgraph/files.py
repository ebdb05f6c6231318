"""Writing what the user asked for and nothing else: atomic files and guarded export folders.

Rules (issue 17):

- A file at ``--out`` is replaced atomically: the new content goes to a temporary file beside
  it and is moved into place with one ``rename``; any failure leaves the previous file whole.
- A folder at ``--out`` is written only when it is empty or holds an earlier lisgraph export,
  verified by the marker file :data:`MARKER` that lists every file the export wrote; anything
  else is refused unless ``force``. The new folder is built beside the old one, then the old
  one is moved aside and the new one moved in (two renames). A run killed between the renames
  leaves the previous export beside ``--out`` under a ``.old`` name; the next run restores it
  (when ``--out`` is missing) or removes it (when the new export made it).
- Symbolic links, devices, FIFOs and sockets are never written through or replaced.
- Temporary files carry the writer's process id; those of processes that no longer run
  (killed runs) are removed by the next write to the same target. Termination signals
  (SIGTERM, SIGHUP) become a normal exit while writing, so clean-up runs on every exit path
  a process can observe.
- Every ``OSError`` (disk full, permission, read-only file system) becomes one
  :class:`OutputError` line naming the target.
"""

from __future__ import annotations

import errno
import json
import os
import re
import secrets
import shutil
import signal
import stat
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from .errors import LisgraphError

__all__ = ["MARKER", "OutputError", "atomic_write", "write_folder", "check_target", "recover",
           "describe_os_error", "shown"]

#: The file that marks a folder as an export lisgraph wrote (JSON: generator and file list)
MARKER = ".lisgraph-export"
_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.lisgraph-(?P<pid>\d+)-[0-9a-f]{8}\.(?P<kind>tmp|old)$")


class OutputError(LisgraphError):
    """An output cannot be written where asked (the message says why and what to do)."""


def describe_os_error(path: object, exc: OSError) -> str:
    """One line for an ``OSError`` met while writing ``path``.

    >>> describe_os_error("g.ttl", OSError(errno.ENOSPC, "No space left on device"))
    'g.ttl: cannot write: no space left on device — free some space or choose another --out'
    """
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        why, fix = "no space left on device", "free some space or choose another --out"
    elif code in (errno.EACCES, errno.EPERM):
        why, fix = "permission denied", "choose a folder you can write to"
    elif code == errno.EROFS:
        why, fix = "read-only file system", "choose another --out"
    elif code == errno.ENAMETOOLONG:
        why, fix = "file name too long", "choose a shorter --out"
    else:
        why = (exc.strerror or str(exc) or type(exc).__name__).lower()
        fix = "check the path and try again, or choose another --out"
    return " ".join(f"{shown(path)}: cannot write: {why} — {fix}".split())


def shown(path: object) -> str:
    """A path as it may appear in a one-line message: valid UTF-8 (bytes of a non-UTF-8 name
    as ``\\xNN``), control characters escaped.

    >>> shown("out\\udcff\\n.ttl")
    'out\\\\xff\\\\n.ttl'
    """
    from .checks import FORBIDDEN
    from .output import utf8_safe

    text = utf8_safe(str(path))
    return FORBIDDEN.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


def _lexists(path: Path) -> bool:
    return os.path.lexists(path)


def check_target(path: Path, folder: bool = False) -> None:
    """Refuse targets lisgraph must not write: links, devices, FIFOs, sockets, a folder where a
    file is expected (and the reverse), a missing parent folder.

    Raises
    ------
    OutputError : one line naming ``path`` and what to do.
    """
    path = Path(path)
    if os.path.islink(path):
        raise OutputError(f"{shown(path)}: is a symbolic link — lisgraph does not write through links; "
                          "give the path of a regular file or folder")
    parent = path.parent
    if not parent.is_dir():
        raise OutputError(f"{shown(parent)}: no such folder — create it or choose another --out")
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(describe_os_error(path, exc)) from None
    if stat.S_ISDIR(mode) and not folder:
        raise OutputError(f"{shown(path)}: is a folder — give a file name for --out")
    if stat.S_ISREG(mode) and folder:
        raise OutputError(f"{shown(path)}: is a file — give a folder name (or a .zip file) for --out")
    if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
        raise OutputError(f"{shown(path)}: is a device, FIFO or socket, not a regular file — choose "
                          "another --out")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists but belongs to someone else
        return True
    return True


def _leftovers(path: Path) -> list[tuple[Path, str]]:
    """Temporary and set-aside copies of ``path`` left by processes that no longer run."""
    found = []
    try:
        names = os.listdir(path.parent)
    except OSError:
        return []
    for name in names:
        m = _LEFTOVER.match(name)
        if m and m.group("name") == path.name and not _alive(int(m.group("pid"))):
            found.append((path.parent / name, m.group("kind")))
    return sorted(found, key=lambda x: (x[1] != "old", x[0].name))


def _remove(path: Path) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


def recover(path: Path) -> list[str]:
    """Clean up after killed runs that wrote ``path``: restore the previous export when a run
    died between its two renames (``path`` missing, a ``.old`` copy beside it), remove every
    other leftover. Returns what was done, one phrase per leftover."""
    path = Path(path)
    done = []
    for leftover, kind in _leftovers(path):
        if kind == "old" and not _lexists(path):
            os.replace(leftover, path)
            done.append(f"restored {path} from {leftover.name}")
        else:
            _remove(leftover)
            done.append(f"removed {leftover.name}")
    return done


def _sibling(path: Path, kind: str) -> Path:
    return path.parent / f".{path.name}.lisgraph-{os.getpid()}-{secrets.token_hex(4)}.{kind}"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems cannot sync a directory; the rename is still atomic
        pass
    finally:
        os.close(fd)


@contextmanager
def _signals_as_exit() -> Iterator[None]:
    """While writing, SIGTERM and SIGHUP raise ``SystemExit`` so ``finally`` clean-up runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}

    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is not None and signal.getsignal(sig) is signal.SIG_DFL:
            previous[sig] = signal.signal(sig, stop)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _move_into_place(tmp: Path, path: Path, mode: int) -> None:
    """Give the finished ``tmp`` its ``mode`` and move it onto ``path``, then sync the parent
    folder so that the rename survives a crash. A file (or a new folder) takes one atomic
    rename; an existing folder two: it is set aside as ``.old`` (restored should the second
    rename fail, removed after it; a kill in between is what :func:`recover` repairs)."""
    os.chmod(tmp, mode)
    if os.path.isdir(tmp) and os.path.isdir(path) and not os.path.islink(path):
        old = _sibling(path, "old")
        os.replace(path, old)
        try:
            os.replace(tmp, path)
        except BaseException:
            os.replace(old, path)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, path)
    _fsync_dir(path.parent)


@contextmanager
def atomic_write(path: Path | str) -> Iterator[IO[bytes]]:
    """Open a temporary file beside ``path`` for writing; on success move it onto ``path``
    (keeping an existing file's permissions), on any failure delete it (``path`` keeps its
    previous content).

    Raises
    ------
    OutputError : ``path`` is not a writable regular-file target, or writing failed.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with atomic_write(folder / "a.txt") as f:
    ...     _ = f.write(b"hello")
    >>> (folder / "a.txt").read_bytes(), sorted(p.name for p in folder.iterdir())
    (b'hello', ['a.txt'])
    """
    path = Path(path)
    check_target(path)
    tmp: Path | None = None
    with _signals_as_exit():
        try:
            recover(path)
            try:
                mode = stat.S_IMODE(os.stat(path).st_mode)
            except FileNotFoundError:
                mode = 0o666 & ~_umask()
            tmp = _sibling(path, "tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as f:
                yield f
                f.flush()
                os.fsync(f.fileno())
            _move_into_place(tmp, path, mode)
            tmp = None
        except OSError as exc:
            raise OutputError(describe_os_error(path, exc)) from None
        finally:
            if tmp is not None:
                _remove(tmp)


def _protected(path: Path) -> str | None:
    """Folders never replaced, even with ``force``: the root, the home folder, the current
    folder and those above it."""
    real = Path(os.path.realpath(path))
    cwd = Path(os.path.realpath(os.getcwd()))
    if real == Path(real.anchor) or real == Path(os.path.realpath(Path.home())):
        return "is the root or your home folder"
    if real == cwd or real in cwd.parents:
        return "is the current folder or holds it"
    return None


def _foreign(path: Path) -> str | None:
    """Why the existing folder ``path`` is not an empty folder or an earlier lisgraph export
    (``None`` when it is one)."""
    entries = os.listdir(path)
    if not entries:
        return None
    if MARKER not in entries:
        return f"holds files and is not a lisgraph export (no {MARKER} marker)"
    try:
        with open(path / MARKER, encoding="utf-8") as f:
            listed = json.load(f)["files"]
        if not isinstance(listed, list) or not all(isinstance(n, str) for n in listed):
            raise ValueError
    except (OSError, ValueError, KeyError, TypeError):
        return f"its {MARKER} marker is unreadable"
    for name in sorted(entries):
        if name == MARKER:
            continue
        if name not in listed:
            return f"holds '{name}', which the earlier lisgraph export did not write"
        if not stat.S_ISREG(os.lstat(path / name).st_mode):
            return f"'{name}' is no longer the file the earlier lisgraph export wrote"
    return None


def write_folder(path: Path | str, files: Mapping[str, bytes], force: bool = False,
                 generator: str = "lisgraph") -> None:
    """Write ``files`` (name -> content) as the folder ``path``, replacing an empty folder or
    an earlier lisgraph export as a whole (anything else only with ``force``).

    Raises
    ------
    OutputError : the target is refused, or writing failed (the previous folder is kept).
    """
    path = Path(path)
    check_target(path, folder=True)
    for name in files:
        if name in ("", ".", "..", MARKER) or "/" in name or os.sep in name:
            raise ValueError(f"not a plain file name: {name!r}")
    tmp: Path | None = None
    with _signals_as_exit():
        try:
            recover(path)
            if path.exists():
                why = _protected(path) or (None if force else _foreign(path))
                if why:
                    fix = ("choose another --out" if _protected(path) else
                           "choose a new or empty folder, or add --force to replace it")
                    raise OutputError(f"{shown(path)}: {why} — {fix}")
            tmp = _sibling(path, "tmp")
            os.mkdir(tmp, 0o700)
            for name, content in files.items():
                _write_synced(tmp / name, content)
            marker = {"generator": generator, "files": sorted(files)}
            _write_synced(tmp / MARKER, (json.dumps(marker, indent=1) + "\n").encode("utf-8"))
            _fsync_dir(tmp)
            _move_into_place(tmp, path, 0o777 & ~_umask())
            tmp = None
        except OSError as exc:
            raise OutputError(describe_os_error(path, exc)) from None
        finally:
            if tmp is not None:
                _remove(tmp)


def _write_synced(path: Path, content: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 & ~_umask())
    with os.fdopen(fd, "wb") as f:
        f.write(content)
        f.flush()
        os.fsync(f.fileno())
