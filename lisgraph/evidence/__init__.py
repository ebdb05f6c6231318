"""Official local economic indicators beside the graph: observations, bodies' figures and
industrial strengths (location quotients). pandas is imported only by the functions that
need it (loading user files, location quotients); ``evidence_section`` does not use it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["index_provider"]

#: where `evidence_section` (and so `show`) gets its observations when none are passed: the CLI
#: sets a function here so that `--data` evidence files and `--no-bundled` apply to `show`;
#: None means the bundled observations
index_provider: Callable[[], Any] | None = None
