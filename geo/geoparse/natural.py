"""Hills, streams, lakes and reservoirs named in an article about one place: 大乘山, 松阴溪, 翠屏湖,
张家垱水库 — landmarks no list has.

A local report names the features around its village or county by their own names, and those
names have one shape: a proper name of two or three characters + a generic word for the feature
(山 峰 岩 岭 峪 溪 河 江 湖 岛, 水库 库区 盆地). No gazetteer lists them, but where the article's places
lie in one county (or one city), a feature named so is read as a landmark there: at that county
with county precision (the county's point says "in this county", as a curated landmark's does),
or at the city with no point. An article with no place, or places far apart, gets none.

Guards against words that only end like a feature: the name in front starts a word (after a
punctuation mark, a function word — 北面有|大乘山, 由|三衢山 —, a verb — 汇聚|董李溪 — or a place just
read: 古田|翠屏湖) and is
no word of a sentence (登上|山, 一条|河); the whole is no ordinary word or idiom (护城河, 人工湖,
绿水青山, 半壁江山); it ends a word (山区, 河道, 湖面 are words) and is no division's name (大峧山村 is
the village); and it is no person's name (记者 王海峰, 李长江说).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from geo.columns import ArticleMentions
from geo.geoparse.index import PlaceIndex
from geo.geoparse.local_landmarks import (
    AFTER_NEW,
    AFTER_NOT,
    AT_TOWN,
    DIVISION_NEXT,
    KINDS,
    LONGER,
    NAMED_AFTER_TOWN,
    NEW_KINDS,
    NEW_SUFFIXES,
    REGIONS,
    SUFFIXES,
    TAIL_WORDS,
    TOWN_KINDS,
    counted,
    division_name,
    famous,
    foreign_name,
    given_name,
    named_after_town,
    place_ending,
    stem_lengths,
    town_before,
)
from geo.geoparse.words import common_words, in_org_at, jieba_tags, longer_words, word_bounds
from geo.schema import Article, Mention

_SUFFIX = re.compile("|".join(SUFFIXES))
#: Characters of a sentence, never of a feature's name (的, 在, numbers of a count, measure words;
#: 今 of 南市区(今黄浦): the place's name today, not a water 今黄|浦; 距 of 距黄山150公里; 绕 of
#: 溪水绕山而过, 山环水绕: water winding round the hills).
_NOT_NAME = frozenset(
    "的了在是和与及或也都就又还很最把被让给对向从为这那其个座条片些每各该本此我你他她它们着过两之得见亩亿今距绕"
)
#: A name's last character that makes it a place's side, not a name (峡口后山: the hill behind 峡口).
_LOCATIVE = frozenset("前后上下里外内中旁边侧")
#: Before the name: a word that ends here (北面有|大乘山, 东面的|三衢山, 以及|九龙峪, 参观了|张家垱水库).
_BEFORE = frozenset(
    "的在和与及、有是从到向往于至由为了入经登游跨过临近绕环沿傍朝越穿把将对"
    "，,。;；:：“”\"'‘’《》()（）【】—… \n\t"
)
#: A person's name ends like a feature's: 记者 王海峰, 李长江说.
_PERSON_BEFORE = re.compile(
    "(?:记者|通讯员|书记|主任|村民|老人|师傅|先生|女士|同志|校长|局长|县长|镇长|村长|主席|经理|教授|"
    "老师|作者|编辑|摄影|院士|队长)[ 　]*$"
)
_PERSON_AFTER = re.compile(
    "(?:说|表示|介绍|告诉|指出|认为|坦言|笑着|同志|先生|女士|书记|主任|老师|等人|一家)"
)
#: jieba tags a name's first part may have (a word of a sentence — verb, adverb, numeral … — or a
#: common noun — 母亲|山 — is none): place and person names, adjectives (清凉|峰), unknown (三衢).
_NAME_TAGS = frozenset(("ns", "nr", "nz", "nrt", "a", "x"))
_WHOLE_TAGS = frozenset(("ns", "nr", "nz", "nrt", "x"))
_PLACE_LEVELS = frozenset(("county", "township", "village"))
_AREA_LEVELS = _PLACE_LEVELS | {"zone", "landmark"}
#: jieba's tags of a proper name: a new kind's name it knows (广济桥: nz) needs no name in front.
_PROPER = frozenset(("ns", "nr", "nz"))
#: Whose name a region's word follows (山东|半岛, 成都|平原): the region lies there, with no point.
_REGION_LEVELS = frozenset(("province", "city"))


def bare_landmarks(
    a: Article, mentions: ArticleMentions, index: PlaceIndex, more: Sequence[Mention] = ()
) -> list[Mention]:
    """Natural features named in an article whose places lie in one county or city (none
    otherwise), as landmark mentions there (``more``: mentions found beside ``mentions``). A
    feature named after a customary name (三衢|山) covers that name: the caller drops the name."""
    text, off = a.text, a.start
    starts, ends = mentions.starts, mentions.ends  # (file offsets, in text order)
    if more:
        spans = sorted([*zip(starts, ends), *((m.start, m.end) for m in more)])
        starts, ends = [x for x, _y in spans], [y for _x, y in spans]
    found: list[tuple[int, int, str | None, bool]] = []  # (start, end, its town or None, a new kind)
    rows: list[tuple] | None = None
    for hit in _SUFFIX.finditer(text):
        i, j = hit.start(), hit.end()
        k = bisect_right(starts, off + i) - 1
        if k >= 0 and ends[k] > off + i:
            continue  # inside a name read (浙江, 钱塘江)
        if k >= 0 and ends[k] == off + i and not more and j - i == 1 and ends[k] - starts[k] == 2:
            rows = rows if rows is not None else mentions.place_rows()
            if _customary(rows[k], text[starts[k] - off : i]) and _accepted(text, starts[k] - off, i, j):
                found.append((starts[k], off + j, None, False))  # 三衢|山: the hill, not the city (replaced)
                continue
        suffix = hit.group()
        if suffix in REGIONS:
            region = place_ending(mentions, off + i, _REGION_LEVELS)
            if region is not None:
                found.append((starts[k], off + j, region, True))  # 山东|半岛: in 山东省, no point
                continue
            if suffix != "盆地":
                continue  # (胶东半岛, 江汉平原: the lists' names)
        if k >= 0 and ends[k] == off + i and suffix in AT_TOWN and not in_org_at(text, j):
            town = place_ending(mentions, off + i)
            if town is not None:
                found.append((starts[k], off + j, town, True))  # 梁村|遗址: the dig at its village
                continue
        if suffix in NAMED_AFTER_TOWN or (suffix == "庙" and text[i - 2 : j] in TOWN_KINDS):
            named = named_after_town(text, off, i, j, mentions, index)
            if named is not None:
                found.append((*named, True))  # 汤浦|水库, 海澄|城隍庙: the town's, in its county
                continue
        new = suffix in NEW_SUFFIXES
        s = _name_start(text, i, j, ends[k] - off if k >= 0 else 0, new)
        if s is not None and not (new and (foreign_name(text, text[s:j]) or division_name(text[s:j], index))):
            found.append((off + s, off + j, town_before(text, off, s, mentions), new))
    parts = _compass_parts(a, mentions, starts, ends) if not more and _COMPASS.search(text) else []
    if not found:  # (most articles: the places are looked at only where a feature is named)
        return parts
    if len(found) > 1:  # 沈家湾|码头 read as the pier, not the bay inside it too
        found = [f for f in found if not any(g[0] <= f[0] and f[1] <= g[1] and g != f for g in found)]
    anchors: dict[bool, str | None] = {}
    out = []
    for s, e, town, new in found:
        if town is None:
            if new not in anchors:
                rows = rows if rows is not None else mentions.place_rows()  # PLACE_FIELDS
                # (not a former name's place beside today's names: 长溪(今霞浦) says where a family
                # came from, not where the article's 苍坡溪 is; 奉化市 alone is still 奉化区)
                now = [r for r, h in zip(rows, mentions.column("historical")) if not h] or rows
                anchors[new] = _anchor(now, 3, 4, _AREA_LEVELS) if new else _anchor(now, 2, 3)
            anchor = anchors[new]
            if anchor is not None:
                out.append(_mention(a, s, e, anchor, index))
        elif town in index.row:
            out.append(_mention(a, s, e, town, index))
    return parts + out


#: A compass point right before a listed lake or sea names a part of it: 南太湖 (湖州's shore),
#: 东洞庭湖, 南黄海. The part is a landmark of its own, in the lake's province at most, no point.
_COMPASS = re.compile("[东西南北](?=[\u4e00-\u9fff]{1,4}[湖海])")


def _compass_parts(a: Article, mentions: ArticleMentions, starts: list, ends: list) -> list[Mention]:
    """南|太湖 → 南太湖, where the compass point starts a word (调研|南太湖, 把|南太湖; not 江南|太湖)
    and the lake was read by its listed name; the caller drops the lake's mention it covers."""
    text, off = a.text, a.start
    rows: list[tuple] | None = None
    out = []
    for hit in _COMPASS.finditer(text):
        p = hit.start()
        k = bisect_left(starts, off + p + 1)
        if k == len(starts) or starts[k] != off + p + 1:
            continue
        if p > 0 and text[p - 1] not in _BEFORE and not _verb_before(text, p):
            continue
        rows = rows if rows is not None else mentions.place_rows()
        row, written = rows[k], text[p + 1 : ends[k] - off]
        if row[2] != "landmark" or row[1] != written or not written.endswith(("湖", "海")):
            continue
        name = text[p] + written
        # the part lies where the lake does, no finer: a listed lake's province (洞庭湖: 湖南省), but
        # nothing from a lake drawn at one point (太湖's point is not 南太湖's)
        prov = row[3] if row[5] is None and row[8] is None else None
        place = (
            f"landmark~{row[0]}~{name}",
            name,
            "landmark",
            prov,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        )
        org = in_org_at(text, ends[k] - off)
        out.append(
            Mention(a.article_id, a.file, off + p, ends[k], name, *place, 0.6, org, False, row[11], None)
        )
    return out


def _customary(place: tuple, written: str) -> bool:
    """A city's or province's customary name (三衢 for 衢州市), not a short form derived from its
    name (湖州 for 湖州市): written before a feature's word it names the feature (三衢山, as 天目山),
    where 湖州河 is no name."""
    return place[2] in ("city", "province") and not place[1].startswith(written)


def _anchor(rows: list[tuple], num: int, den: int, levels: frozenset = _PLACE_LEVELS) -> str | None:
    """The one county the article's places (of ``levels``) lie in (``num``/``den`` of those with a
    county at least: two thirds for hills and lakes; for the commoner words of the new kinds — 港,
    塘, 桥, 寺 — three quarters, zones and landmarks counted: 塘栖古镇 is in 临平区), else the one
    city they all lie in; None if neither. The county must hold one of the article's divisions, an
    old town (塘栖古镇: its township's) or two of its sights: one sight's name alone (月湖, listed in
    宁波's 海曙区, in an article about 石林's 长湖、月湖) says too little of where the article is."""
    counties: dict[str, int] = {}
    named: set[str] = set()  # (counties a division or a township's sight of the article lies in)
    sights: dict[str, set[str]] = {}  # (county → the sights and zones read there)
    cities = set()
    for p in rows:
        if p[2] in levels and p[11]:
            counties[p[11]] = counties.get(p[11], 0) + 1
            if p[2] in _PLACE_LEVELS or p[6]:  # (an old town is its township's: 塘栖古镇)
                named.add(p[11])
            else:
                sights.setdefault(p[11], set()).add(p[0])
        if p[2] in ("city", "county", "township", "village"):
            cities.add(p[4])
    if counties:
        county, n = max(counties.items(), key=lambda kv: kv[1])
        if den * n >= num * sum(counties.values()) and (county in named or len(sights[county]) > 1):
            return county
    if len(cities) == 1:
        city = next(iter(cities))
        return next((p[0] for p in rows if p[2] == "city" and p[1] == city), None)
    return None


def _name_start(text: str, i: int, j: int, floor: int, new: bool) -> int | None:
    """Where the feature's name before the generic word at [i, j) starts (two characters before a
    one-character word, 大乘|山; two or three before 水库, 库区, 盆地), or None where the guards say it
    is no name. ``floor``: where the last name read before ends (古田|翠屏湖: a name may start there);
    ``new``: a kind beyond hills and lakes (保国|寺), whose name as a whole is no person's."""
    if (j < len(text) and text[j] in (AFTER_NEW if new else AFTER_NOT)) or LONGER.match(text, j) is not None:
        return None
    if new and DIVISION_NEXT.match(text, j) is not None:
        return None
    listed = _listed_water(text, i, j)  # 、九都坑|溪、: a water of three in a list
    for k in (3, *stem_lengths(text[i:j])) if listed else stem_lengths(text[i:j]):
        s = i - k  # 张家垱|水库, 松古|盆地; 大乘|山
        if s < floor:
            continue
        stem = text[s:i]
        if any(not "\u4e00" <= ch <= "\u9fff" or ch in _NOT_NAME for ch in stem):
            continue
        if (
            stem[0] in _BEFORE
            or (stem[-1] in _LOCATIVE and not counted(stem))
            or text[i] in stem
            or stem in (NEW_KINDS if new else KINDS)
        ):
            continue  # 由|三衢山 (try the shorter name); 峡口后山; 金山银山; 黑臭河
        if text[i - 1 : i + 1] in TAIL_WORDS:
            continue
        if s > 0 and text[s - 1] not in _BEFORE and s != floor and not _verb_before(text, s):
            continue
        if _accepted(text, s, i, j, new):
            return s
    return None


def _listed_water(text: str, i: int, j: int) -> bool:
    """A stream's or river's word (溪, 河, 江) three characters after a list's mark (朱姆溪、九都坑|溪):
    its name may be three characters long there, where 的小溪 or 因潘家|河 is no name."""
    return j - i == 1 and text[i] in "溪河江" and i >= 4 and text[i - 4] == "、"


def _verb_before(text: str, s: int) -> bool:
    """A verb or preposition of two characters ends right before ``s`` (汇聚|董李溪, 位于|横山水库)."""
    return s >= 2 and jieba_tags().get(text[s - 2 : s]) in ("v", "vn", "p")


def _accepted(text: str, s: int, i: int, j: int, new: bool = False) -> bool:
    """The words around say [s, j) is a name: no ordinary word or idiom as a whole, its first part
    no word of a sentence, a word of its own in the sentence, and no person's name."""
    whole, stem = text[s:j], text[s:i]
    tags = jieba_tags()
    tag = tags.get(whole, "x")
    if (whole in common_words() or whole in longer_words()) and not (new and famous(whole, tag)):
        return False  # (a temple's or tower's name is a word of the dictionaries too: 灵隐寺, 雷峰塔)
    if tag not in _WHOLE_TAGS or (new and given_name(whole, tag)):
        return False
    if tags.get(stem, "x") not in _NAME_TAGS and not (new and (tag in _PROPER or counted(stem))):
        return False  # (天一|阁, 广济|桥: no names, 天一阁 and 广济桥 are jieba's)
    lo = max(0, s - 3)
    bounds = word_bounds(text[lo : j + 2])
    if (s - lo) not in bounds or ((j - lo) not in bounds and not shore_after(text, i, j, bounds, lo)):
        return False
    return _PERSON_BEFORE.search(text, max(0, s - 6), s) is None and _PERSON_AFTER.match(text, j) is None


#: A water's last word joined to the shore or basin after it (鹤溪|河畔, 鲤鱼|溪畔, 千岛|湖边), a
#: hill's to its foot or slope (兰阴|山麓, 玉皇|山脚, 黄岗|山脚下): jieba reads 河畔, 山麓 as one word,
#: so the name ends inside it; the shore or foot word says the name before is a water or a hill.
_SHORE = re.compile(
    "[江河溪湖](?:畔|边|岸|两岸|沿岸|流域|之滨|上游|中游|下游|源头)|[山峰岭](?:麓|脚|腰|巅|顶上|脚下|之巅)"
)


def shore_after(text: str, i: int, j: int, bounds: frozenset[int], lo: int) -> bool:
    """The feature's last word [i, j) is a water's and starts a shore word (河畔, 溪边, 江两岸, 湖畔),
    or a hill's and starts a foot word (山麓, 山脚): the name ends at ``j`` though jieba's word runs on."""
    return j - i == 1 and (i - lo) in bounds and _SHORE.match(text, i) is not None


def _mention(a: Article, start: int, end: int, anchor: str, index: PlaceIndex) -> Mention:
    """The feature as a landmark mention at its anchor: a county's point with county precision, a
    city's containers with no point; a township's or village's point (横溪镇的金峨山) with township
    precision at most (the feature is near the town, not at its seat)."""
    _name, lev, prov, city, county, town, _code, lon, lat, prec = index.row[anchor]
    text = a.text[start - a.start : end - a.start]
    if lev == "county":
        prec = "county"
    elif lev == "township":
        town, prec = _name, "county" if prec == "county" else "township"
    elif lev == "village":
        prec = "county" if prec == "county" else "township"
    else:
        county = lon = lat = prec = None
    county_id = index.county_of.get(anchor) if lev in _PLACE_LEVELS else None
    place = (f"landmark~{anchor}~{text}", text, "landmark", prov, city, county, town, None, lon, lat, prec)
    org = in_org_at(a.text, end - a.start)  # 翠屏湖大酒店
    return Mention(a.article_id, a.file, start, end, text, *place, 0.6, org, False, county_id, None)
