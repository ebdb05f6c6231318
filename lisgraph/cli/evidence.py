"""`lisgraph strengths`: industrial strengths from official data, against declared priorities."""

from __future__ import annotations

from typing import Any

import typer

from . import AsOfOpt, Format, FormatOpt, app, emit, state

__all__ = ["strengths"]


def _state_index() -> Any:
    """The observations `show` reads: bundled, plus the user's --data evidence files."""
    from ..evidence.detect import evidence_files
    from ..evidence.observations import EvidenceIndex, bundled_index

    if evidence_files(state.data):
        from ..evidence.loaders import load_evidence

        return load_evidence(state.data, state.bundled).index
    return bundled_index() if state.bundled else EvidenceIndex()


def _register() -> None:
    from .. import evidence

    evidence.index_provider = _state_index


_register()


@app.command()
def strengths(
    place: str = typer.Argument(..., help="A district or body: GSS code or name."),
    min_lq: float = typer.Option(1.25, "--min-lq", metavar="LQ", help="Location quotient at or above which "
                                 "an industry group counts as a strength (lisgraph's default)."),
    top: int = typer.Option(10, "--top", help="How many industry groups to list (table/md)."),
    fmt: Format = FormatOpt,
    as_of: str | None = AsOfOpt,
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


def _f(x: float | None, digits: int = 2) -> Any:
    # numbers, not formatted text: output hardening quotes text that starts with "-"
    if x is None:
        return "unknown"
    return int(round(x)) if digits == 0 else round(x, digits)


_BASES = ("declared", "evidenced", "both")


def _check_basis(basis: str) -> None:
    if basis not in _BASES:
        raise typer.BadParameter(f"'{basis}': use {', '.join(_BASES)}", param_hint="--basis")


def evidenced_rows(view: Any, place: str, basis: str, top: int | None, theme: Any,
                   fmt: Format, render: Any, run: Any, theme_of: Any) -> None:
    """`overlaps --basis evidenced|both`: bodies ranked by LQ-profile similarity, or the
    declared ranking with the similarity beside each row."""
    from ..evidence.checks import evidenced_similarity, with_similarity
    from ..places import resolve

    _check_basis(basis)
    node = view.require(resolve(view, place))
    if basis == "evidenced":
        rows = evidenced_similarity(view, node, view.as_of)[:top]
        return render(rows, ["code", "name", "type", "similarity", "shared", "reason"], fmt,
                      "no body with evidence to compare")
    rows = run(view, place, top=top, theme=theme_of(theme))
    rows = with_similarity(rows, view, view.as_of, [(node.id, r["code"]) for r in rows])
    render(rows, ["code", "name", "type", "score", "similarity", "shared", "shared_themes",
                  "also"], fmt, "no body shares a priority theme with that place")


def recorded_partners(view: Any, node_id: str) -> set[str]:
    """Bodies with a recorded collaboration (a pair of one collaboration node, on the view's
    date) or a ``partner_of`` link with ``node_id``."""
    from ..collaborations import pairs_of

    linked = {p.other(node_id) for p in pairs_of(view, node_id, view.as_of)}
    linked |= {e.end if e.start == node_id else e.start
               for e in [*view.out_edges(node_id), *view.in_edges(node_id)]
               if e.type == "partner_of"}
    return linked


def evidenced_opportunities(view: Any, place: str | None, basis: str, top: int | None,
                            theme: Any, max_km: float, fmt: Format, render: Any, run: Any,
                            theme_of: Any) -> None:
    """`opportunities --basis evidenced|both`. ``both``: the declared opportunities with the
    pair's LQ-profile similarity beside each. ``evidenced`` (needs PLACE): bodies whose
    industrial structure is most like PLACE's and with which PLACE has no recorded
    collaboration or partnership link (proximity is not applied: the reason says so)."""
    from ..evidence.checks import evidenced_similarity, with_similarity
    from ..places import resolve

    _check_basis(basis)
    if basis == "both":
        rows = run(view, place, theme=theme_of(theme), top=top, max_km=max_km)
        rows = with_similarity(rows, view, view.as_of, [(r["a"], r["b"]) for r in rows])
        return render(rows, ["a", "a_name", "b", "b_name", "score", "similarity", "theme_score",
                             "proximity", "shared_themes", "reasons"], fmt,
                      "no collaboration opportunities found")
    if place is None:
        raise typer.BadParameter("--basis evidenced needs PLACE", param_hint="PLACE")
    node = view.require(resolve(view, place))
    linked = recorded_partners(view, node.id)
    rows = [dict(r, a=node.id, a_name=node.name, b=r["code"], b_name=r["name"],
                 reasons=r["reason"] + "; no recorded collaboration (proximity not applied)")
            for r in evidenced_similarity(view, node, view.as_of)
            if r["code"] not in linked and r["similarity"] < 0.999]  # same area: not a partner
    render(rows[:top] if top else rows, ["a", "a_name", "b", "b_name", "similarity", "shared",
                                         "reasons"], fmt, "no collaboration opportunities found")
