"""The README's worked examples ("How the scores work") run as doctests, so the text cannot
drift from the code."""

from __future__ import annotations

import doctest
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_score_examples_hold():
    text = README.read_text(encoding="utf-8")
    start = text.index("#### How the scores work")
    end = text.index("Named queries live in", start)
    section = text[start:end].replace("```pycon\n", "").replace("```\n", "")
    parser = doctest.DocTestParser()
    test = parser.get_doctest(section, {}, "README: how the scores work", str(README), 0)
    assert len(test.examples) >= 10
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0, f"{runner.failures} README example(s) no longer hold"
