"""Commands about what the graph holds: info, places, show."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from . import AsOfOpt, Format, FormatOpt, app, as_of_date, emit, state


@app.command()
def info(fmt: Format = FormatOpt, as_of: Optional[str] = AsOfOpt) -> None:
    """What the graph holds (on a date, with --as-of): counts by type, sources and vintages."""
    from ..output import render_json, render_rows
    from ..profiles import summary

    s = summary(state.view(as_of))
    if fmt is Format.json:
        return emit(render_json(s))
    counts = [{"kind": "node", "type": k, "count": v} for k, v in s["nodes"].items()]
    counts += [{"kind": "edge", "type": k, "count": v} for k, v in s["edges"].items()]
    if fmt is Format.csv:
        return emit(render_rows(counts, ["kind", "type", "count"], "csv"))
    title = "## " if fmt is Format.md else ""
    when = f" valid on {s['as_of']}" if s["as_of"] else ""
    emit(f"{title}lisgraph: {s['total_nodes']} nodes, {s['total_edges']} edges{when}\n\n")
    emit(render_rows(counts, ["kind", "type", "count"], fmt.value))
    emit(f"\n{title}Sources ({len(s['sources'])})\n\n")
    emit(render_rows(s["sources"], ["id", "publisher", "vintage", "licence", "records"], fmt.value))


@app.command()
def places(
    type_: list[str] = typer.Option([], "--type", "-t", help="Node type(s), e.g. lep, district, "
                                    "combined_authority, partnership, provider, strategy, theme."),
    fmt: Format = FormatOpt,
    as_of: Optional[str] = AsOfOpt,
) -> None:
    """List places, bodies and partners (of a type)."""
    from ..output import render_rows
    from ..profiles import list_places

    from ..places import normalise_types

    view = state.view(as_of)
    types = normalise_types(view.graph, type_)
    rows = list_places(view, types)
    if not rows:
        print("no places of that type" + (" on that date" if view.as_of else ""), file=sys.stderr)
    cols = ["code", "name", "type", "valid_from", "valid_to", "date_status"]
    if view.as_of:
        cols.append("as_of")
    emit(render_rows(rows, cols, fmt.value) if fmt is not Format.json
         else render_rows(rows, [], "json"))


SECTIONS = ("members", "member_of", "located_in", "located_here", "neighbours", "partners",
            "predecessors", "successors", "functions_now_held_by", "designation_links")


@app.command()
def show(
    place: str = typer.Argument(..., help="A GSS code, UKPRN, id or name (case-insensitive)."),
    fmt: Format = FormatOpt,
    as_of: Optional[str] = AsOfOpt,
) -> None:
    """One profile: area, members, memberships, strategy, priorities, partners, sources."""
    from ..output import render_json, render_rows
    from ..places import resolve
    from ..profiles import profile

    view = state.view(as_of)
    p = profile(view, resolve(view, place))
    if fmt is Format.json:
        return emit(render_json(p))
    cols = ["code", "name", "type", "valid_from", "valid_to", "date_status"]
    if fmt is Format.csv:
        rows = [dict(r, section=s, as_of=p["as_of"]) for s in SECTIONS for r in p[s]]
        return emit(render_rows(rows, ["section", *cols, "relation", "periods", "sources"]
                                + (["as_of"] if p["as_of"] else []), "csv"))
    from ..output import display_safe, markdown_text

    h = "## " if fmt is Format.md else ""
    text = markdown_text if fmt is Format.md else display_safe  # names may hold markup
    lived = f"{p['valid_from'] or ''}..{p['valid_to'] or ''}"
    status = f", {p['date_status']}" if p["date_status"] else ""
    emit(f"{h}{text(p['name'])} ({p['code']}, {p['type']}, {lived}{status})"
         + (f" as of {p['as_of']}" if p["as_of"] else " (all dates)") + "\n")
    for k, v in p["properties"].items():
        emit(f"  {k}: {', '.join(map(str, v)) if isinstance(v, list) else v}\n")
    for section in SECTIONS:
        if p[section]:
            emit(f"\n{h}{section.replace('_', ' ')} ({len(p[section])})\n")
            extra = {"partners": ["relation", "collaboration"],
                     "predecessors": ["date"], "successors": ["date"],
                     "functions_now_held_by": ["lep_name"],
                     "designation_links": ["kind"]}.get(section, ["periods"])
            emit(render_rows(p[section], cols + extra, fmt.value))
    for s in p["strategies"]:
        emit(f"\n{h}strategy: {text(s['name'])} ({s.get('status', '')}, "
             f"{s.get('date') or 'undated'})\n")
        rows = [{"priority": x["name"], "themes": [t["name"] for t in x["themes"]]}
                for x in s["priorities"]]
        emit(render_rows(rows, ["priority", "themes"], fmt.value))
    if p.get("evidence"):
        from ..evidence.section import section_rows

        emit(f"\n{h}evidence ({', '.join(p['evidence']['sources'])}; {p['evidence']['note']})\n")
        emit(render_rows(section_rows(p["evidence"]), ["indicator", "period", "value", "UK=100",
                                                       "rank", "change", "how"], fmt.value))
    emit(f"\n{h}sources ({len(p['sources'])})\n")
    emit(render_rows(p["sources"], ["id", "publisher", "title", "vintage"], fmt.value))




@app.command()
def lookup(fmt: Format = FormatOpt, as_of: Optional[str] = AsOfOpt) -> None:
    """One row per district valid on the date (today without --as-of): its county, region,
    LEP(s), combined authority and any other containing body, as codes and names, with sources."""
    from ..lookup import COLUMNS, lookup as run
    from ..output import render_rows

    view = state.view(as_of)
    if view.as_of is None:
        view = state.graph().at("today")
    rows = run(view)
    emit(render_rows(rows, COLUMNS if fmt is not Format.json else [], fmt.value))
