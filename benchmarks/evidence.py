"""Evidence: load times, `show` with its evidence section, `strengths`, and `--help` unchanged.

Usage: python -m benchmarks.evidence [--runs N] [--shared ../shared/data]

Prints the median wall time over N runs (after one warm-up) of:
- reading the bundled observations (csv module, as `show` does) and the bundled GVA by
  industry (pandas), each in a fresh interpreter so the caches are cold;
- the loaders on the ONS files a user downloads (when ../shared/data is present): one
  Explore Local Statistics file, the tidy GVA by industry table (1998-2023), one workbook;
- `lisgraph show "Greater Manchester"` end to end (goal: ≤ 0.5 s with evidence) and the
  evidence section alone, in process;
- `lisgraph strengths Sheffield` end to end;
- `lisgraph --help` against `python -c "import typer"` (goal unchanged: ≤ 1.5×), and whether
  `--help` imports pandas (it must not).
Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from .report import Row

__all__ = ["figures", "main"]

ROOT = Path(__file__).resolve().parent.parent


def _py(code: str, runs: int) -> float:
    from .cli import median_time

    return median_time([sys.executable, "-c", code], runs)


def figures(runs: int = 5, shared: Path | None = None) -> list[Row]:
    from .cli import median_time

    shared = shared or ROOT.parent / "shared" / "data"
    here = Path(sys.executable).parent / "lisgraph"
    exe = str(here) if here.exists() else shutil.which("lisgraph")
    rows: list[Row] = []
    note = f"median of {runs} after a warm-up, fresh interpreter"
    base = _py("import lisgraph", runs)
    t = _py("from lisgraph.evidence.observations import bundled_index; bundled_index()", runs)
    rows.append(Row("evidence", "load bundled observations (27,780 rows; csv module)",
                    t - base, note=note + "; minus `import lisgraph`"))
    t = _py("from lisgraph.evidence.industries import gva_by_industry; gva_by_industry()", runs)
    rows.append(Row("evidence", "load bundled GVA by industry (35,378 rows; pandas, incl. import)",
                    t - base, note=note + "; minus `import lisgraph`"))
    ess = shared / "evidence/ess/gross-value-added.csv"
    if ess.exists():
        for label, code in (
            ("read ONS Explore Local Statistics file (gross-value-added, 16,402 rows)",
             f"from lisgraph.evidence.loaders import read_ess; read_ess({str(ess)!r})"),
            ("read tidy GVA by industry 1998-2023 (459,914 rows, gzip)",
             "from lisgraph.evidence.loaders import read_rgva_tidy; read_rgva_tidy("
             f"{str(shared / 'evidence/rgva_lad/rgva_lad_current_prices_1998_2023.csv.gz')!r})"),
            ("read one ONS GVA workbook (North East, openpyxl)",
             "from lisgraph.evidence.loaders import read_rgva_workbook; read_rgva_workbook("
             f"{str(next((shared / 'evidence/rgva_lad').glob('*northeast.xlsx')))!r})"),
        ):
            rows.append(Row("evidence", label, _py(code, max(1, runs // 2)) - base,
                            note=f"median of {max(1, runs // 2)}; minus `import lisgraph`"))
    else:
        rows.append(Row("evidence", "loaders on the ONS files", None,
                        note=f"skipped: {shared} not found"))
    out = subprocess.run([sys.executable, "-c", "import time; from lisgraph import load_graph; "
                          "g = load_graph(); from lisgraph.evidence.section import "
                          "evidence_section; s = time.perf_counter(); "
                          "evidence_section(g, g.nodes['E47000001']); "
                          "print(time.perf_counter() - s)"],
                         check=True, capture_output=True, text=True).stdout
    rows.append(Row("evidence", "evidence section of `show` alone (cold: reads the table)",
                    float(out.strip()), note="one cold run, in process"))
    if exe is None:
        rows.append(Row("evidence", "CLI figures", None, note="skipped: lisgraph not installed"))
        return rows
    show = median_time([exe, "show", "Greater Manchester"], runs)
    info = median_time([exe, "info"], runs)
    rows.append(Row("evidence", '`lisgraph show "Greater Manchester"` with evidence', show,
                    baseline=info, baseline_name="`lisgraph info`: loads the graph, no evidence",
                    goal="≤ 0.5 s", met=show <= 0.5, note=f"median of {runs} after a warm-up; "
                    "the difference is the profile and its evidence section"))
    cold = median_time([exe, "show", "Greater Manchester"], runs, env={"LISGRAPH_CACHE": "off"})
    rows.append(Row("evidence", '`lisgraph show "Greater Manchester"`, graph cache off', cold,
                    baseline=show, baseline_name="with the bundled graph's cache",
                    note=f"median of {runs}: every run builds the graph from the CSV files"))
    strengths = median_time([exe, "strengths", "Sheffield"], runs)
    rows.append(Row("evidence", "`lisgraph strengths Sheffield`", strengths,
                    note=f"median of {runs} after a warm-up"))
    typer_t = _py("import typer", runs)
    help_t = median_time([exe, "--help"], runs)
    rows.append(Row("evidence", "`lisgraph --help` (with the strengths command)", help_t,
                    baseline=typer_t, baseline_name='`python -c "import typer"`',
                    goal="≤ 1.5×", met=help_t / typer_t <= 1.5, note=f"median of {runs}"))
    pandas_loaded = subprocess.run(
        [sys.executable, "-c", "import sys; from lisgraph.cli import app; "
         "import typer.main; typer.main.get_command(app); print('pandas' in sys.modules)"],
        check=True, capture_output=True, text=True).stdout.strip()
    rows.append(Row("evidence", "`--help` path imports pandas", None, goal="no",
                    met=pandas_loaded == "False", note=f"pandas imported: {pandas_loaded}"))
    return rows


def main() -> None:
    from .report import text_table

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--shared", type=Path)
    args = ap.parse_args()
    print(text_table(figures(args.runs, args.shared)))


if __name__ == "__main__":
    main()
