"""Who shares priorities with a place, answered on the server: the Neo4j twin of
:func:`lisgraph.analysis.overlaps` (same rows, same order).

The statements start from codes (the ``:Entity(code)`` index) or from the themes:

1. the distinctiveness counts: how many strategies in the view declare each theme through a
   headline priority, and how many strategies there are (an aggregate, one row);
2. PLACE's headline themes and priorities, and its strategies (dates, themes, co-publishers);
3. the bodies whose headline priorities share one of those themes: per body its themes, its
   priorities on the shared ones, its strategies (dates, sources, themes among PLACE's) and
   the other publishers of them; then, rarely, the co-publishers those reach (to form the
   joint-strategy groups as :func:`~lisgraph.analysis.opportunities.strategy_groups` does).

Weights, scores, ``meets``, common periods and the order are computed here by the embedded
formulas (and :func:`~lisgraph.analysis.overlaps.meets` itself). Time follows the dated view's contract
(:func:`~lisgraph.neo4j.lookup.time_filter`). Dates travel as ``[y, m, d]``
(:func:`~lisgraph.neo4j.answers.day`): the driver's own date type costs more to decode than
the rest of a row.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from ..analysis.index import SCHEME_ORDER
from ..analysis.overlaps import meets
from ..errors import LisgraphError
from ..view import iso, overlap
from .answers import _row_of, _span, day, no_strategy, published_periods
from .connection import Connection
from .lookup import require, resolve, time_filter

__all__ = ["overlaps", "HEADLINE", "idf_weights", "group_keys"]

tf = time_filter

#: a headline priority (a missing or empty ``role`` is headline: :func:`is_headline`)
HEADLINE = "(P.role IS NULL OR toLower(trim(toString(P.role))) IN ['', 'headline'])"


def headline(v: str) -> str:
    return HEADLINE.replace("P", v)


_COUNTS = f"""
CALL () {{
  MATCH (t:Theme) WHERE {tf('t')}
  RETURN collect([t.code, t.scheme, t.name]) AS themes
}}
CALL () {{
  MATCH (b:Entity)-[r0:PUBLISHED]->(s:Strategy)-[r1:HAS_PRIORITY]->(p:Priority)
        -[r2:ADDRESSES]->(t:Theme)
  WHERE {headline('p')} AND {tf('r0', 'r1', 'r2', 'b', 's', 'p', 't')}
  WITH s, collect(DISTINCT t.code) AS declared
  WITH count(s) AS total, collect(declared) AS all
  RETURN total, COLLECT {{ UNWIND all AS declared UNWIND declared AS theme
                          WITH theme, count(*) AS n RETURN [theme, n] }} AS counts
}}
RETURN themes, counts, total
"""

# the strategies of X in the view: code, dates (for view.period), sources, its themes through
# any priority (for the undated coexistence rule) restricted to $all_mine, its other
# publishers that have a headline theme in the view (joint-strategy groups)
_STRATEGIES = ("[(__B__)-[rp:PUBLISHED]->(sp:Strategy) WHERE " + tf("rp", "sp")
               + f" | {{from: {day('rp.valid_from')}, to: {day('rp.valid_to')}, code: sp.code, "
               f"type: sp.type, valid_from: {day('sp.valid_from')}, "
               f"valid_to: {day('sp.valid_to')}, date: {day('sp.date')}, "
               "sources: sp.sources, "
               "themes: [(sp)-[rh:HAS_PRIORITY]->(ph:Priority)-[ra:ADDRESSES]->(th:Theme) WHERE "
               + tf("rh", "ra", "ph", "th") + " AND th.scheme IS NOT NULL AND ($all_mine IS NULL OR "
               "th.code IN $all_mine) | th.code], "
               "with: [(sp)<-[rq:PUBLISHED]-(q:Entity) WHERE q <> __B__ AND " + tf("rq", "q")
               + " AND EXISTS { MATCH (q)-[r5:PUBLISHED]->(s5:Strategy)-[r6:HAS_PRIORITY]->"
               "(p5:Priority)-[r7:ADDRESSES]->(t5:Theme) WHERE " + headline("p5") + " AND "
               + tf("r5", "r6", "r7", "s5", "p5", "t5") + " } | q.code]}]")

_PLACE = f"""
MATCH (o:Entity {{code: $code}})
OPTIONAL MATCH (o)-[r0:PUBLISHED]->(s:Strategy)-[r1:HAS_PRIORITY]->(p:Priority)
      -[r2:ADDRESSES]->(t:Theme)
WHERE {headline('p')} AND {tf('r0', 'r1', 'r2', 's', 'p', 't')}
WITH o, t, p ORDER BY s.code, p.code
WITH o, t, collect([p.code, p.name]) AS prios
WITH o, collect(CASE WHEN t IS NOT NULL THEN [t.code, prios] END) AS mine
RETURN mine, o.code AS code, o.type AS type, {day('o.valid_from')} AS valid_from,
       {day('o.valid_to')} AS valid_to
"""

_PLACE_STRATEGIES = f"""
MATCH (o:Entity {{code: $code}})
RETURN {_STRATEGIES.replace('__B__', 'o')} AS published
"""

_CANDIDATES = f"""
MATCH (t:Theme) WHERE t.code IN $themes AND {tf('t')}
MATCH (t)<-[r2:ADDRESSES]-(p:Priority)<-[r1:HAS_PRIORITY]-(s:Strategy)<-[r0:PUBLISHED]-(o:Entity)
WHERE o.code <> $code AND {headline('p')} AND {tf('r0', 'r1', 'r2', 'o', 's', 'p')}
WITH o, t, p ORDER BY s.code, p.code
WITH o, t.code AS theme, collect([p.code, p.name]) AS prios
WITH o, collect([theme, prios]) AS shared
RETURN o.code AS code, o.name AS name, o.type AS type, {day('o.valid_from')} AS valid_from,
       {day('o.valid_to')} AS valid_to, shared,
       COLLECT {{ MATCH (o)-[r3:PUBLISHED]->(s3:Strategy)-[r4:HAS_PRIORITY]->(p3:Priority)
                        -[r5:ADDRESSES]->(t3:Theme)
                  WHERE {headline('p3')} AND {tf('r3', 'r4', 'r5', 's3', 'p3', 't3')}
                  RETURN DISTINCT t3.code }} AS themes,
       {_STRATEGIES.replace('__B__', 'o')} AS published
"""

_BODY_RANK = {"combined_authority": 0, "lep": 1}


def idf_weights(conn: Connection, as_of: date | None) -> tuple[list[list[Any]], Any]:
    """The themes in the view (``[code, scheme, name]``, sorted by code) and each one's weight,
    scheme weight x distinctiveness (:func:`lisgraph.analysis.index.distinctiveness`), from
    the counts the server aggregates."""
    from ..analysis.index import SCHEME_WEIGHT

    row = conn.read(_COUNTS, {"as_of": as_of})[0]
    themes = sorted(row["themes"])
    counts = dict(row["counts"])
    total = row["total"]
    return themes, [SCHEME_WEIGHT.get(str(t[1]), 1.0)
                    * (1.0 + math.log((1.0 + total) / (1.0 + counts.get(t[0], 0))))
                    for t in themes]


def group_keys(bodies: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Body -> its joint-strategy group's key: the bodies joined by strategies they published
    together (:func:`lisgraph.analysis.opportunities.strategy_groups`); ``bodies`` maps each
    code to ``{type, published: [{code, with}]}`` and holds every body the groups reach."""
    from ..analysis.opportunities import joined_by_strategies

    groups = joined_by_strategies(
        list(bodies), lambda b: (s["code"] for s in bodies[b]["published"]))
    return {b: key for key, members in groups.items() for b in members}


_MORE = f"""
UNWIND $codes AS code
MATCH (o:Entity {{code: code}})
RETURN o.code AS code, o.type AS type, {_STRATEGIES.replace('__B__', 'o')} AS published
"""


def close_groups(conn: Connection, bodies: dict[str, dict[str, Any]], as_of: date | None,
                 all_mine: list[str]) -> None:
    """Add to ``bodies`` the co-publishers its groups reach that it does not hold yet (a joint
    strategy's publisher that shares no theme with PLACE still joins two bodies that do)."""
    while True:
        missing = sorted({q for info in bodies.values() for s in info["published"]
                          for q in s["with"]} - set(bodies))
        if not missing:
            return
        for r in conn.read(_MORE, {"codes": missing, "as_of": as_of, "all_mine": all_mine}):
            bodies[r["code"]] = r


def overlaps(conn: Connection, place: str, top: int | None = None,
             theme: str | None = None, as_of: date | None = None) -> list[dict[str, Any]]:
    """:func:`lisgraph.analysis.overlaps` on the server: the same rows, in the same order.

    The distinctiveness counts are aggregated on a second thread while PLACE's strategies are
    read and the candidates stream in, and each candidate's row is built as it arrives
    (:class:`_Rows`), so the client's work overlaps the server's."""
    from concurrent.futures import ThreadPoolExecutor

    node = resolve(conn, place, as_of=as_of, prefer_strategy=True)
    require(_row_of(node), as_of)
    me = conn.read(_PLACE, {"code": node.id, "as_of": as_of})[0]
    if not me["mine"]:
        raise no_strategy(node, as_of)
    mine = {t: prios for t, prios in me["mine"]}
    with ThreadPoolExecutor(max_workers=1) as pool:
        counted = pool.submit(idf_weights, conn, as_of)
        if theme is not None:
            if theme not in {t[0] for t in counted.result()[0]}:
                raise LisgraphError(f"unknown theme '{theme}'")
            if theme not in mine:
                return []
        params = {"code": node.id, "as_of": as_of, "themes": [theme] if theme else sorted(mine)}
        here = conn.read(_PLACE_STRATEGIES, {**params, "all_mine": None})[0]["published"]
        # PLACE's strategies' themes through any priority (for the undated coexistence rule)
        all_mine = sorted({t for s in here for t in s["themes"]})
        rows_of = _Rows(mine, here, published_periods(dict(me, published=here)), counted,
                        theme, as_of)
        candidates = conn.read(_CANDIDATES, {**params, "all_mine": all_mine},
                               each=lambda c: dict(c, row=rows_of.row(c)), plain_values=True)
    bodies = {c["code"]: c for c in candidates}
    bodies[node.id] = {"code": node.id, "type": node.type, "published": here}
    close_groups(conn, bodies, as_of, all_mine)
    order = sorted(bodies, key=lambda b: (_BODY_RANK.get(bodies[b]["type"], 2), b))
    group = group_keys({b: bodies[b] for b in order})
    rows: list[dict[str, Any]] = []
    seen: dict[str, dict[str, Any]] = {}
    for c in sorted(candidates, key=lambda c: (_BODY_RANK.get(c["type"], 2), c["code"])):
        key = group[c["code"]]
        if key == group[node.id]:
            continue  # a co-publisher of a strategy of PLACE's
        if key in seen:
            seen[key]["also"].append(f"{c['name']} ({c['code']})")
        elif c["row"] is not None:
            seen[key] = c["row"]
            rows.append(c["row"])
    rows.sort(key=lambda r: (-r["score"], -r["shared"], r["name"], r["code"]))
    return rows[:top] if top else rows


class _Rows:
    """Builds a candidate's row (the embedded formulas) from what the server sent about it and
    about PLACE: ``mine`` (PLACE's headline themes -> its priorities), ``here`` (its
    strategies) and their periods; the weights come from ``counted`` (a future of
    :func:`idf_weights`), waited for when the first row needs them."""

    def __init__(self, mine: dict[str, Any], here: list[dict[str, Any]],
                 here_periods: list[Any], counted: Any, theme: str | None,
                 as_of: date | None):
        self.mine, self.here, self.here_periods = mine, here, here_periods
        self.counted, self.theme, self.as_of = counted, theme, as_of
        self.w: list[float] = []

    def _weigh(self) -> None:
        self.themes, self.w = self.counted.result()
        self.tpos = {t[0]: i for i, t in enumerate(self.themes)}
        self.names = {t[0]: t[2] for t in self.themes}
        self.own = 0.0
        for t in sorted(self.mine):
            self.own += self.w[self.tpos[t]]

    def row(self, c: dict[str, Any]) -> dict[str, Any] | None:
        """The candidate's row before the joint-strategy grouping (None: no row)."""
        mine, theme = self.mine, self.theme
        on = {t: prios for t, prios in c["shared"]}
        shared = sorted(t for t in on if t in mine and (theme is None or t == theme))
        if not shared:
            return None
        theirs = published_periods(c)
        both = [p for p in (overlap(x, y) for x in self.here_periods for y in theirs)
                if p is not None]
        if not both:
            return None  # their strategies never coexisted
        together = _span(both)
        if self.as_of is None:  # only themes shared by strategies that coexisted
            allowed: set[str] = set()
            for s, when in zip(self.here, self.here_periods):
                for s2, when2 in zip(c["published"], theirs):
                    if overlap(when, when2) is not None:
                        allowed |= set(s["themes"]) & set(s2["themes"])
            shared = [t for t in shared if t in allowed]
            if not shared:
                return None
        if not self.w:
            self._weigh()
        w, tpos, themes = self.w, self.tpos, self.themes
        numerator = float(sum(w[tpos[t]] for t in shared))
        norm = 0.0
        for t in sorted(c["themes"]):
            norm += w[tpos[t]]
        shared.sort(key=lambda t: (-w[tpos[t]], SCHEME_ORDER.get(str(themes[tpos[t]][1]), 3), t))
        row = {
            "code": c["code"], "name": c["name"], "type": c["type"],
            "score": round(numerator / math.sqrt(self.own * norm), 4),
            "shared": len(shared),
            "shared_themes": [self.names[t] for t in shared],
            "meets": meets(mine, on, shared, self.names),
            "their_priorities": sorted({n for t in shared for _, n in on[t]}),
            "also": [],
            "sources": sorted({x for s in c["published"] for x in s["sources"] or ()}),
            "valid_from": iso(together[0]), "valid_to": iso(together[1]),
            "date_status": together[2],
        }
        if self.as_of is not None:
            row["as_of"] = self.as_of.isoformat()
        return row
