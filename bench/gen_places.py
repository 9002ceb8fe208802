"""The place tables of the benchmark corpus generator (bench/gen_corpus.py): each gazetteer place
with the forms news writes it in (full chains, partial chains, bare and short names), and the draw
pools (home-province townships, villages and zones by county; other provinces' units).
"""

from __future__ import annotations

LOCAL_LEVELS = ("township", "village", "zone", "landmark")


def _j(*parts) -> str:
    return "".join(p for p in parts if isinstance(p, str))


class Places:
    """Place tables drawn once from the gazetteer: written forms per place and the draw pools."""

    def __init__(self, settings=None):
        from geo.gazetteer import load_gazetteer
        from geo.settings import load_settings

        settings = settings or load_settings()
        gaz = load_gazetteer(settings)
        home = settings.home_province
        nm = gaz.names.sort_values(["place_id", "name"], kind="stable")
        short = dict(nm[nm.name_type == "short"].groupby("place_id")["name"].first())
        alias = dict(nm[nm.name_type == "alias"].groupby("place_id")["name"].first())
        # forms: written forms of a place (repeats weight the draw); short: its repeated form
        self.forms: list[tuple[str, ...]] = []
        self.short, self.kind, self.city_of, self.county_of, self.is_home = [], [], [], [], []
        self.local, self.counties, self.cities = [], [], []  # home-province draw pools
        self.other: dict[str, list[int]] = {"province": [], "city": [], "county": [], "township": [], "village": []}
        self.by_county: dict[int, list[int]] = {}
        idx: dict[str, int] = {}
        cols = [
            "place_id",
            "name",
            "level",
            "province",
            "city",
            "county",
            "township",
            "province_id",
            "city_id",
            "county_id",
        ]
        # sorted by id, parents ("33", "3301", "330102") come before their children
        for pid, n, lv, pv, ct, co, tw, pv_id, ct_id, co_id in gaz.places.sort_values(
            "place_id", kind="stable"
        )[cols].itertuples(index=False):
            is_home = pv == home
            ps, cts, cos = short.get(pv_id, pv), short.get(ct_id, ct), short.get(co_id, co)
            s = short.get(pid, n)
            kind = "community" if lv == "village" and n.endswith("社区") else lv
            if lv == "province":
                f = (n, n, s)
            elif lv == "city":
                f = (n, n, s) if is_home else (_j(pv, n), n, n, s)
            elif lv == "county":
                f = (n, n, n, s, _j(ct, n), s) if is_home else (_j(pv, ct, n), _j(ct, n), n, n, s, _j(ps, n))
            elif lv == "township":
                f = (
                    (_j(co, n), _j(co, n), n, n, n, _j(ct, co, n), _j(cos, n))
                    if is_home
                    else (_j(pv, ct, co, n), _j(ct, co, n), _j(co, n), _j(co, n), _j(ps, co, n))
                )
            elif lv == "village":
                f = (
                    _j(co, tw, n),
                    _j(co, tw, n),
                    _j(tw, n),
                    _j(tw, n),
                    _j(tw, n),
                    n,
                    _j(ct, co, tw, n),
                    _j(cos, tw, n),
                )
            else:
                f = (n, n, n, alias.get(pid, n), _j(cts, n))
            if lv in ("zone", "landmark") and not is_home:
                lv = "township"
            i = idx[pid] = len(self.forms)
            self.forms.append(f)
            self.short.append(s)
            self.kind.append(kind)
            self.is_home.append(int(is_home))
            self.city_of.append(idx.get(ct_id, -1) if isinstance(ct_id, str) else -1)
            self.county_of.append(idx.get(co_id, -1) if isinstance(co_id, str) else -1)
            if not is_home:
                self.other[lv].append(i)
            elif lv in LOCAL_LEVELS:
                self.local.append(i)
                self.by_county.setdefault(self.county_of[i], []).append(i)
            elif lv == "province":
                self.home = i
            else:
                (self.counties if lv == "county" else self.cities).append(i)
