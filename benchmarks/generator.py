"""A seeded, deterministic synthetic graph in lisgraph's model, sized by bodies or nodes/edges."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from itertools import accumulate, combinations

from lisgraph.graph import KnowledgeGraph
from lisgraph.model import Edge, Node, Source

__all__ = ["synthetic_graph", "graph_of_size", "node_count", "n_collaborations", "EDGES_PER_NODE", "VINTAGES"]

#: LEP geography before and after the 2018 review; LEPs wound down in March 2024
VINTAGES = ((date(2011, 4, 1), date(2020, 3, 31)), (date(2020, 4, 1), date(2024, 3, 31)))
#: edge density graph_of_size aims at when no edge count is given (100k nodes, 1M edges)
EDGES_PER_NODE = 10
FOUNDATIONS = ("Ideas", "People", "Infrastructure", "Business environment", "Places")
GRAND_CHALLENGES = ("AI and data economy", "Ageing society", "Clean growth", "Future of mobility")
PUBLISHERS = ("ONS", "MHCLG", "BEIS", "DfE", "HESA", "LEP Network", "Combined authority")
DISTRICT_KINDS = {"E06": "unitary", "E07": "non-metropolitan", "E08": "metropolitan",
                  "E09": "london-borough"}
ORG_KINDS = ("business", "business", "public body", "civil society", "business", "charity")
GROUPS = ("Russell Group", "MillionPlus", "University Alliance", "GuildHE")


def _body_prefix(b: int) -> str:
    """District code prefix of body ``b``'s districts: its kind of local government."""
    if b % 10 == 0:
        return "E08"  # a metropolitan area with a combined authority
    if b % 50 == 25:
        return "E09"
    return "E07" if b % 3 == 1 else "E06"  # two-tier (with a county) or unitary


def node_count(n_bodies: int, districts_per_body: int = 3, n_themes: int = 60,
               priorities: int = 4, providers_per_body: float = 0.5,
               organisations_per_body: float = 2.0) -> int:
    """The exact number of nodes :func:`synthetic_graph` makes with these arguments.

    >>> node_count(10) == len(synthetic_graph(10).nodes)
    True
    """
    n_cas = (n_bodies + 9) // 10
    n_counties = sum(1 for b in range(n_bodies) if _body_prefix(b) == "E07")
    return (max(n_themes, 10) + max(9, n_bodies // 100) + n_bodies * districts_per_body
            + n_bodies + n_cas + n_counties + (n_bodies + n_cas) * (1 + priorities)
            + max(1, n_bodies // 50) + int(n_bodies * providers_per_body)
            + int(n_bodies * organisations_per_body) + n_collaborations(n_bodies))


def n_collaborations(n_bodies: int) -> int:
    """How many recorded collaborations :func:`synthetic_graph` makes (one per six bodies)."""
    return max(1, n_bodies // 6)


class _Builder:
    """Builds one graph; every random draw comes from one seeded ``random.Random``."""

    def __init__(self, n_bodies: int, districts_per_body: int, n_themes: int, seed: int):
        self.rng = random.Random(seed)
        self.g = KnowledgeGraph()
        self.n_bodies, self.dpb = n_bodies, districts_per_body
        self.n_themes = max(n_themes, 10)
        sources = [f"src-{i}" for i in range(max(12, n_bodies // 20))]
        for i, sid in enumerate(sources):
            self.g.add_source(Source(sid, PUBLISHERS[i % len(PUBLISHERS)], f"Synthetic source {i}",
                                     f"https://example.org/source/{i}", str(2011 + i % 14),
                                     "OGL-UK-3.0" if i % 3 else "unknown", f"seed {seed}"))
        # a pool of citations: most records cite one source, some two or three
        self.citations = [tuple(self.rng.sample(sources, self.rng.choice((1, 1, 1, 2, 2, 3))))
                          for _ in range(1024)]

    # -- helpers ---------------------------------------------------------------------------
    def cite(self) -> tuple[str, ...]:
        return self.citations[self.rng.getrandbits(10)]

    def day(self, start: int, end: int) -> date:
        return date(start, 1, 1) + timedelta(days=self.rng.randrange((end - start) * 365))

    def node(self, code: str, node_type: str, name: str, src: tuple[str, ...] | None = None,
             **props: object) -> str:
        clean = {k: v for k, v in props.items() if v not in (None, "", [], ())}
        self.g.add_node(Node(code, node_type, name, src or self.cite(), clean))
        return code

    def edge(self, start: str, edge_type: str, end: str, src: tuple[str, ...] | None = None,
             valid_from: date | None = None, valid_to: date | None = None,
             **props: object) -> None:
        self.g.add_edge(Edge(start, edge_type, end, src or self.cite(), valid_from, valid_to,
                             {k: v for k, v in props.items() if v not in (None, "", [], ())}))

    def some_themes(self, most: int = 3) -> list[str]:
        """1..``most`` distinct themes, drawn from the skewed (Zipf-like) theme popularity."""
        picks = self.rng.choices(self.themes, cum_weights=self.theme_cum,
                                 k=self.rng.randint(1, most))
        return list(dict.fromkeys(picks))

    # -- the parts of the graph ----------------------------------------------------------------
    def taxonomy(self) -> None:
        """Five foundations, four Grand Challenges, sectors (two levels: sub-sectors are
        ``broader`` than a top sector); popularity falls off as 1/rank."""
        self.themes = []
        named = [(n, "foundation") for n in FOUNDATIONS] + [(n, "grand_challenge")
                                                            for n in GRAND_CHALLENGES]
        n_sectors = self.n_themes - len(named)
        top = max(1, n_sectors // 3)
        for i in range(self.n_themes):
            if i < len(named):
                label, scheme = named[i]
                tid = label.lower().replace(" and ", "-").replace(" ", "-")
            else:
                k = i - len(named)
                label, scheme, tid = f"Sector {k + 1}", "sector", f"sector-{k + 1}"
            src = self.cite()
            self.node(tid, "theme", label, src, scheme=scheme,
                      alt_labels=[f"{label} alias {j + 1}" for j in range(i % 3)])
            if scheme == "sector" and i - len(named) >= top:
                self.edge(tid, "broader", f"sector-{self.rng.randrange(top) + 1}", src)
            self.themes.append(tid)
        self.theme_cum = list(accumulate(1 / (i + 1) for i in range(len(self.themes))))

    def geography(self) -> None:
        """Districts on a grid (row bands make regions), held in contiguous runs by bodies:
        part of a LEP in two vintages (some overlap before the review, some move after it),
        of a county where two-tier, of a combined authority where metropolitan; grid
        neighbours share a boundary."""
        rng, n_bodies, dpb = self.rng, self.n_bodies, self.dpb
        n_d = n_bodies * dpb
        side = max(math.isqrt(n_d), 1)
        n_regions = max(9, n_bodies // 100)
        self.regions = [self.node(f"E12{r + 1:06d}", "region", f"Region {r + 1}")
                        for r in range(n_regions)]
        self.leps = [f"E37{b + 1:06d}" for b in range(n_bodies)]
        old = [f"E37{500000 + b + 1:06d}" for b in range(n_bodies)]
        for b, code in enumerate(self.leps):
            self.node(code, "lep", f"LEP {b + 1}", alt_codes=[old[b]],
                      former_names=[f"Former LEP {b + 1}"] if b % 7 == 3 else [],
                      valid_from=self.day(2011, 2013), valid_to=VINTAGES[1][1])
        self.county, self.ca, self.cas = {}, {}, []
        for b in range(n_bodies):
            if _body_prefix(b) == "E07":
                abolished = (date(2019, 3, 31), date(2023, 3, 31))[b % 2] if b % 5 == 1 else None
                self.county[b] = (self.node(f"E10{len(self.county) + 1:06d}", "county",
                                            f"County {len(self.county) + 1}", valid_to=abolished),
                                  abolished)
            elif _body_prefix(b) == "E08":
                c = len(self.cas)
                mayoral = c % 2 == 0
                since = self.day(2011, 2024)
                self.ca[b] = (self.node(f"E47{c + 1:06d}", "combined_authority",
                                        f"Combined authority {c + 1}", mayoral=mayoral,
                                        valid_from=since,
                                        first_mayoral_election=date(max(since.year + 1, 2017), 5, 4)
                                        if mayoral else None), since)
                self.cas.append((b, self.ca[b][0]))
        self.districts, self.points = [], []
        for d in range(n_d):
            b, k = divmod(d, dpb)
            x, y = d % side, d // side
            prefix = _body_prefix(b)
            lat, lon = round(50.0 + 5.5 * y / side, 5), round(-5.5 + 7.2 * x / side, 5)
            code = self.node(f"{prefix}{d + 1:06d}", "district", f"District {d + 1}",
                             kind=DISTRICT_KINDS[prefix], lat=lat, lon=lon)
            self.districts.append(code)
            self.points.append((lat, lon))
            self.edge(code, "part_of", self.regions[(y * n_regions) // side % n_regions])
            (v1_from, v1_to), (v2_from, v2_to) = VINTAGES
            self.edge(code, "part_of", self.leps[b], None, v1_from, v1_to, area_code=old[b])
            if k == dpb - 1 and b + 1 < n_bodies and rng.random() < 0.3:  # in two LEPs
                self.edge(code, "part_of", self.leps[b + 1], None, v1_from, v1_to,
                          area_code=old[b + 1])
            after = b - 1 if k == 0 and b and rng.random() < 0.25 else b  # moved in the review
            self.edge(code, "part_of", self.leps[after], None, v2_from, v2_to,
                      area_code=self.leps[after])
            if b in self.county:
                self.edge(code, "part_of", self.county[b][0], None, None, self.county[b][1])
            if b in self.ca:
                self.edge(code, "part_of", self.ca[b][0], None, self.ca[b][1])
        for d, code in enumerate(self.districts):
            x = d % side
            for other in ((d + 1) if x + 1 < side else n_d, d + side):
                if other < n_d:
                    a, z = sorted((code, self.districts[other]))
                    self.edge(a, "neighbours", z)

    def strategies(self, priorities: int) -> None:
        """Every LEP and combined authority publishes one strategy whose priorities address
        one to three themes; bodies join their geographic partnership (some a neighbouring
        one too)."""
        rng = self.rng
        self.bodies = [(b, code) for b, code in enumerate(self.leps)] + self.cas
        for b, body in self.bodies:
            sid = f"lis-{body.lower()}"
            src = self.cite()
            self.node(sid, "strategy", f"Strategy of {body}", src,
                      status=rng.choice(("published", "draft", "draft", "unpublished")),
                      date=self.day(2018, 2020), url=f"https://example.org/lis/{sid}",
                      evidence_url=f"https://example.org/evidence/{sid}" if b % 2 else None,
                      evaluation="annual review" if b % 3 == 0 else None)
            self.edge(body, "published", sid, src)
            for j in range(priorities):
                src = self.cite()
                pid = self.node(f"{sid}/p{j}", "priority", f"Priority {j + 1}", src)
                self.edge(sid, "has_priority", pid, src)
                for t in self.some_themes():
                    self.edge(pid, "addresses", t, src)
        n_p = max(1, self.n_bodies // 50)
        self.partnerships = []
        for p in range(n_p):
            since = self.day(2014, 2019)
            self.partnerships.append((self.node(
                f"partnership-{p + 1}", "partnership", f"Partnership {p + 1}", kind="pan-regional",
                url=f"https://example.org/partnership/{p + 1}", valid_from=since,
                valid_to=date(2023, 3, 31) if p % 6 == 5 else None), since))
        for b, body in self.bodies:
            home = b * n_p // self.n_bodies
            for p in [home] + ([home + 1] if home + 1 < n_p and rng.random() < 0.1 else []):
                self.edge(body, "member_of", self.partnerships[p][0], None, self.partnerships[p][1])

    def partners(self, providers: int, organisations: int) -> None:
        """Providers and organisations, each located in a district; some providers belong
        to their area's partnership."""
        rng, n_d = self.rng, len(self.districts)
        self.partner_ids, self.partner_home = [], []
        n_p = len(self.partnerships)
        for i in range(providers + organisations):
            d = rng.randrange(n_d)
            src = self.cite()
            lat, lon = self.points[d]
            if i < providers:
                pid = self.node(f"1{i:07d}", "provider", f"University {i + 1}", src,
                                lat=round(lat + rng.uniform(-0.02, 0.02), 5),
                                lon=round(lon + rng.uniform(-0.02, 0.02), 5),
                                postcode=f"AB{i % 99 + 1} {i % 9 + 1}CD",
                                groups=[GROUPS[i % 4]] if i % 5 == 0 else [])
            else:
                j = i - providers
                pid = self.node(f"org-{j + 1}", "organisation", f"Organisation {j + 1}", src,
                                kind=ORG_KINDS[j % len(ORG_KINDS)],
                                url=f"https://example.org/org/{j + 1}" if j % 2 else None)
            self.edge(pid, "located_in", self.districts[d], src)
            body = d // self.dpb
            if i < providers and rng.random() < 0.2:
                p = self.partnerships[body * n_p // self.n_bodies]
                self.edge(pid, "member_of", p[0], None, p[1])
            self.partner_ids.append(pid)
            self.partner_home.append(body)

    def partner_links(self, budget: int) -> None:
        """About ``budget`` partner_of edges from LEPs to providers and organisations, whose
        partner counts are Pareto-distributed (a few national organisations partner with
        hundreds of LEPs, most with one or two nearby)."""
        rng, n = self.rng, self.n_bodies
        self.partner_ends: list[str] = []
        if not self.partner_ids or budget <= 0:
            return
        raw = [rng.paretovariate(1.2) for _ in self.partner_ids]
        scale = budget / sum(raw)
        cap = max(1, n // 2)
        for pid, home, r in zip(self.partner_ids, self.partner_home, raw):
            want = r * scale
            k = min(cap, int(want) + (rng.random() < want - int(want)))
            chosen: dict[int, None] = {}
            window = max(3, k)
            while len(chosen) < k:
                b = (home + rng.randint(-window, window)) % n if rng.random() < 0.7 \
                    else rng.randrange(n)
                chosen[b] = None
            for b in chosen:
                since = self.day(2012, 2022)
                self.edge(self.leps[b], "partner_of", pid, None, since,
                          VINTAGES[1][1] if rng.random() < 0.5 else None,
                          themes=self.some_themes(2) if rng.random() < 0.3 else None)
                self.partner_ends.append(pid)

    def top_up(self, total_edges: int) -> None:
        """More partner_of edges until the graph has ``total_edges``, each to a partner picked
        in proportion to its partner count (the rich get richer, as the Pareto draw intends)."""
        rng, n, g = self.rng, self.n_bodies, self.g
        pool = self.partner_ends or list(self.partner_ids)
        for _ in range(20 * max(0, total_edges - len(g.edges))):
            if len(g.edges) >= total_edges or not pool:
                return
            pid = pool[rng.randrange(len(pool))]
            self.edge(self.leps[rng.randrange(n)], "partner_of", pid, None, self.day(2012, 2022),
                      None)
            pool.append(pid)

    def collaborations(self, count: int) -> None:
        """``count`` recorded collaborations on one to three themes (a collaboration node,
        each member party_to it): led by a body, joined by nearby bodies and by partners
        picked in proportion to their partner counts."""
        rng, g = self.rng, self.g
        n, c = self.n_bodies, 0
        if len(self.bodies) + len(self.partner_ids) < 2:
            return
        while c < count:
            b, lead = self.bodies[rng.randrange(len(self.bodies))]
            members = {lead: None}
            for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 4))):
                if rng.random() < 0.5 or not self.partner_ids:
                    members[self.leps[(b + rng.randint(-3, 3)) % n]] = None
                elif self.partner_ends and rng.random() < 0.8:
                    members[self.partner_ends[rng.randrange(len(self.partner_ends))]] = None
                else:
                    members[self.partner_ids[rng.randrange(len(self.partner_ids))]] = None
            if len(members) < 2:
                continue
            c += 1
            since = self.day(2015, 2022)
            src = self.cite()
            until = since + timedelta(days=365 * rng.randint(1, 5))
            cid = f"collab-{c}"
            g.add_node(Node(cid, "collaboration", f"Collaboration {c}", src,
                            {"themes": self.some_themes(), "valid_from": since, "valid_to": until}))
            for a in sorted(members):
                g.add_edge(Edge(a, "party_to", cid, src))


def synthetic_graph(n_bodies: int, districts_per_body: int = 3, n_themes: int = 60,
                    priorities: int = 4, providers_per_body: float = 0.5,
                    organisations_per_body: float = 2.0, partner_edges: int | None = None,
                    edges: int | None = None,
                    seed: int = 42) -> KnowledgeGraph:
    """A checked KnowledgeGraph with ``n_bodies`` LEP-like bodies; same arguments, same graph.

    Shape: ``districts_per_body`` districts per body on a grid over England's latitudes and
    longitudes (grid neighbours; row bands make regions), each body holding a contiguous
    run of them, in two dated vintages (before the 2018 review some districts sit in two
    LEPs; after it some move to the next LEP). One body in ten is a metropolitan area with a
    combined authority, which publishes its own strategy; every third other body is
    two-tier (its districts are in a county, some abolished). Each strategy has
    ``priorities`` priorities addressing one to three themes of a taxonomy (5 foundations,
    4 Grand Challenges, sectors and sub-sectors) whose popularity falls off as 1/rank.
    Partnerships are runs of neighbouring bodies. Providers and organisations sit in
    districts; LEPs name them as partners with Pareto-distributed partner counts, mostly
    nearby. Collaborations of two to five members (bodies and partners) carry themes.
    Sources: one per 20 bodies, each record citing one to three; list properties (alt codes,
    former names, alt labels, groups, themes) throughout. :func:`node_count` gives the
    number of nodes. Links beyond the structure:
    ``partner_edges`` partner_of edges (default 1.5 per provider or organisation) and
    :func:`n_collaborations` recorded collaborations; or, with ``edges``, partner links fill
    the graph up to that many edges.

    >>> g = synthetic_graph(20)
    >>> len(g.nodes) == node_count(20), sum(1 for _ in g.nodes_of_type("lep"))
    (True, 20)
    """
    b = _Builder(n_bodies, districts_per_body, n_themes, seed)
    b.taxonomy()
    b.geography()
    b.strategies(priorities)
    n_prov, n_org = int(n_bodies * providers_per_body), int(n_bodies * organisations_per_body)
    b.partners(n_prov, n_org)
    if edges is not None:
        b.partner_links(int(0.6 * (edges - len(b.g.edges))))
        b.collaborations(n_collaborations(n_bodies))
        b.top_up(edges)
    else:
        b.partner_links(int(1.5 * (n_prov + n_org)) if partner_edges is None else partner_edges)
        b.collaborations(n_collaborations(n_bodies))
    b.g.check()
    return b.g


def graph_of_size(nodes: int, edges: int | None = None, seed: int = 42,
                  **shape: float) -> KnowledgeGraph:
    """A synthetic graph of about ``nodes`` nodes and ``edges`` edges (default
    ``EDGES_PER_NODE`` per node), each within 10 %.

    The number of bodies is chosen so the node count is as near as it can be; ``shape``
    passes :func:`synthetic_graph`'s proportions (``districts_per_body`` etc.).

    Raises
    ------
    ValueError when a count cannot be met: fewer than about 100 nodes, or fewer edges than
    the structure alone makes (about 2.7 per node).

    >>> g = graph_of_size(2000, 8000)
    >>> abs(len(g.nodes) - 2000) <= 200, abs(len(g.edges) - 8000) <= 800
    (True, True)
    """
    target = nodes * EDGES_PER_NODE if edges is None else edges
    lo, hi = 1, max(2, nodes)
    while lo < hi:  # the smallest body count reaching the node count
        mid = (lo + hi) // 2
        if node_count(mid, **shape) < nodes:  # type: ignore[arg-type]
            lo = mid + 1
        else:
            hi = mid
    below, above = node_count(lo - 1, **shape), node_count(lo, **shape)  # type: ignore[arg-type]
    if lo > 1 and nodes - below < above - nodes:
        lo -= 1
    g = synthetic_graph(lo, edges=target, seed=seed, **shape)  # type: ignore[arg-type]
    for what, got, want in (("nodes", len(g.nodes), nodes), ("edges", len(g.edges), target)):
        if abs(got - want) > 0.1 * want:
            raise ValueError(f"asked for {want:,} {what}, the generator makes {got:,}: "
                             "ask for at least 100 nodes and 2.8 edges per node")
    return g
