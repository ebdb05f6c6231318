"""`lisgraph strengths`: industrial strengths from official data, against declared priorities."""

from __future__ import annotations

from typing import Optional

import typer

from . import AsOfOpt, Format, FormatOpt, app, emit, state

__all__ = ["strengths"]


@app.command()
def strengths(
    place: str = typer.Argument(..., help="A district or body: GSS code or name."),
    min_lq: float = typer.Option(1.25, "--min-lq", help="Location quotient at or above which "
                                 "an industry group counts as a strength (lisgraph's default)."),
    top: int = typer.Option(10, "--top", help="How many industry groups to list (table/md)."),
    fmt: Format = FormatOpt,
    as_of: Optional[str] = AsOfOpt,
) -> None:
    """Industrial strengths from ONS GVA by industry (location quotients), against PLACE's
    declared priorities: declared and evidenced, declared not evidenced, evidenced not declared.
    """
    from ..evidence.loaders import load_evidence
    from ..evidence.strengths import strengths as compute
    from ..output import render_json, render_rows
    from ..places import resolve

    view = state.view(as_of)
    user = load_evidence(state.data, state.bundled)
    node = view.require(resolve(view, place))
    r = compute(view, node, view.as_of, min_lq, user.gva_industry)
    if fmt is Format.json:
        return emit(render_json(r))
    if fmt is Format.csv:
        rows = [dict(x, section="group") for x in r["groups"]]
        return emit(render_rows(rows, ["section", "sic07", "label", "level", "lq", "gva_gbp_m",
                                       "lq_baseline", "gva_change_gbp_m", "strength", "status"],
                                "csv"))
    h = "## " if fmt is Format.md else ""
    emit(f"{h}{r['name']} ({r['code']}, {r['type']}): industrial strengths, GVA {r['year']} "
         f"(current prices)" + (f", as of {r['as_of']}" if r["as_of"] else "") + "\n")
    emit(f"  {r['method']}; {len(r['members'])} district(s)\n")
    base = r["baseline_year"]
    rows = [{"group": f"{x['sic07']} {x['label']}", "LQ": _f(x["lq"]),
             f"LQ {base}" if base else "LQ base": _f(x["lq_baseline"]),
             "GVA £m": _f(x["gva_gbp_m"], 0),
             f"change since {base} £m" if base else "change £m": _f(x["gva_change_gbp_m"], 0)}
            for x in r["groups"] if x["strength"]][:top]
    emit(f"\n{h}strengths (LQ ≥ {r['min_lq']:g}; {len(rows)} shown)\n")
    emit(render_rows(rows, list(rows[0]) if rows else ["group"], fmt.value))
    sec = [{"sector": s["sector"], "LQ": _f(s["lq"]), "how": s["reason"]} for s in r["sectors"]]
    emit(f"\n{h}IS-8 sectors (LQ only where the SIC definition is a union of published groups)\n")
    emit(render_rows(sec, ["sector", "LQ", "how"], fmt.value))
    comp = [{"category": c["category"], "theme": c["name"] or "", "groups": "; ".join(c["groups"]),
             "reason": c["reason"]} for c in r["comparison"]]
    emit(f"\n{h}declared against evidenced (crosswalk: lisgraph's own mapping)\n")
    emit(render_rows(comp, ["category", "theme", "groups", "reason"], fmt.value))
    emit(f"\n{h}sources: {', '.join(r['sources'])} (Source: Office for National Statistics "
         "licensed under the Open Government Licence v3.0)\n")


def _f(x: float | None, digits: int = 2) -> str:
    return "unknown" if x is None else f"{x:,.{digits}f}"
