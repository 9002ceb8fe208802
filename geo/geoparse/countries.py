"""Countries and places abroad: the `country` level (中国, 南非, 新加坡) and the `foreign` level (纽约).

News from China names countries all the time (对美出口, 南非客商, 中国式现代化); without a level
for them those mentions were simply lost, and 中华人民共和国 could not be told from a province.
The names come from registry packages, never typed in by hand:

- pycountry (ISO 3166-1, with the iso-codes project's zh_CN translations): every country's code,
  its common Chinese name and its official one (南非 / 南非共和国, 美国 / 美利坚合众国);
- jionlp's ``world_location.txt``: the names Chinese news actually writes (韩国 where ISO has
  大韩民国, 老挝, 伊朗, 委内瑞拉) and each country's capital and best-known cities (纽约, 伦敦).

A country is a `country` mention (place_id ``country:ZA``, no province, no point); a city abroad is
a `foreign` mention. Neither is drawn on the map. Left out: 香港, 澳门 and 台湾 (Chinese units the
gazetteer has), any name the Chinese gazetteer already has (黑山 is also 黑山县), 中非 (in Chinese
news 中非合作 is China–Africa, not the Central African Republic), and city names that are also
ordinary words (万象; two-character ones that jieba's dictionary tags as anything but a place:
金边, 马赛, 里加). In the text a country or city abroad must stand as a word of its
own (jieba): 发展中国家 holds no 中国, 印度洋 no 印度, 马赛克 no 马赛; a demonym or style may
follow (南非人, 中国式现代化), and so may an institution's name (中国工程院).
"""

from __future__ import annotations

import gettext
import re
from functools import lru_cache
from importlib.metadata import version

import pandas as pd

from geo.geoparse.index import INDEX_COLUMNS
from geo.geoparse.words import common_words, jieba_tags, jionlp_dictionary, longer_words, word_bounds

COUNTRY = "country"
FOREIGN = "foreign"
LEVELS = frozenset((COUNTRY, FOREIGN))
#: ISO codes of Chinese units that the gazetteer has as provinces (香港, 澳门, 台湾).
_CHINESE_UNITS = frozenset(("HK", "MO", "TW"))
#: Country names that Chinese news mostly uses for something else (中非合作: China–Africa).
_NOT_COUNTRIES = frozenset(("中非",))
_CJK = re.compile(r"^[\u4e00-\u9fff]{2,}$")
#: What may follow a country as part of one word: a demonym, a nationality, a style (南非人, 中国式).
_WORD_TAIL = frozenset("人籍式队方")
#: Common surnames that are not also prepositions (于美国, 向美国 stay countries).
_SURNAMES = frozenset(
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔汤"
)
#: Single characters after a country that are words of the sentence, not a given name (苏丹的, 马里和).
_NOT_GIVEN_NAME = frozenset("的和与及在是等了也都将对从向把被为又还就而或并到")


def source_versions() -> str:
    """The packages the tables come from, for the geoparser cache's key."""
    return f"pycountry {version('pycountry')}; jionlp {version('jionlp')}"


def _iso_names() -> list[tuple[str, list[str]]]:
    """(ISO code, Chinese names: common first, then official) for every ISO 3166-1 country."""
    import pycountry  # imported here: only the table build needs it

    tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)
    out = []
    for c in pycountry.countries:
        english = (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None))
        names = [tr.gettext(n) for n in english if n]
        out.append((c.alpha_2, [n for n in dict.fromkeys(names) if _CJK.match(n)]))
    return out


def _jionlp_rows() -> list[tuple[str, str, list[str]]]:
    """(short name, full name, capital and cities) per country of jionlp's world list."""
    rows = []
    for line in (jionlp_dictionary() / "world_location.txt").read_text(encoding="utf-8").splitlines():
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) < 2 or not parts[0] or parts[0].endswith(":"):
            continue
        cities = ([parts[2]] if len(parts) > 2 and parts[2] else []) + (
            parts[3].split("/") if len(parts) > 3 and parts[3] else []
        )
        rows.append((parts[0], parts[1], [c.strip() for c in cities if c.strip()]))
    return rows


@lru_cache(maxsize=4)
def foreign_tables(known: frozenset[str]) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Places and names of countries and cities abroad, none of them spelled like a name in
    ``known`` (the Chinese gazetteer's names), and counts of what was kept and left out."""
    iso = _iso_names()
    code_of = {n: code for code, names in iso for n in names}
    canonical: dict[str, str] = {code: names[0] for code, names in iso if names}
    names: dict[str, set[str]] = {code: set(ns) for code, ns in iso}
    cities: dict[str, str] = {}  # city -> country code
    for short, full, capitals in _jionlp_rows():
        code = code_of.get(short) or code_of.get(full) or f"X-{short}"
        canonical[code] = short  # the name news writes: 韩国, not 大韩民国
        names.setdefault(code, set()).update((short, full))
        for city in capitals:
            cities.setdefault(city, code)
    words = common_words() | longer_words()
    tags = jieba_tags()
    stats: dict = {"countries": 0, "country_names": 0, "cities": 0, "left_out": []}
    place_rows, name_rows = [], []
    all_country_names = {n for ns in names.values() for n in ns}
    for code in sorted(names):
        if code in _CHINESE_UNITS or code not in canonical:
            continue
        pid = f"country:{code}"
        kept = sorted(n for n in names[code] if _CJK.match(n) and n not in known and n not in _NOT_COUNTRIES)
        left = sorted(n for n in names[code] if n in known or n in _NOT_COUNTRIES)
        stats["left_out"] += left
        if canonical[code] not in kept:
            continue
        place_rows.append((pid, canonical[code], COUNTRY))
        name_rows += [(n, pid, "full" if n == canonical[code] else "alias") for n in kept]
        stats["countries"] += 1
        stats["country_names"] += len(kept)
    for city, code in sorted(cities.items()):
        if code in _CHINESE_UNITS or code == code_of.get("中国"):
            continue  # 北京, 上海 … of jionlp's own row for China
        if not _CJK.match(city) or city in known or city in all_country_names:
            continue
        if city in words or (len(city) == 2 and tags.get(city, "ns") != "ns"):
            stats["left_out"].append(city)  # 万象, 金边, 马赛: ordinary words or names first
            continue
        pid = f"foreign:{city}"
        place_rows.append((pid, city, FOREIGN))
        name_rows.append((city, pid, "full"))
        stats["cities"] += 1
    empty = (None,) * (len(INDEX_COLUMNS) - 3)
    places = pd.DataFrame([r + empty for r in place_rows], columns=list(INDEX_COLUMNS))
    nm = pd.DataFrame(name_rows, columns=["name", "place_id", "name_type"])
    nm["note"], nm["until"] = "pycountry / jionlp world_location.txt", pd.array([None] * len(nm), "Int64")
    return places, nm, stats


def _person_name(text: str, start: int, end: int, bounds: frozenset[int], lo: int) -> bool:
    """A two-character country inside a person's name: after a lone surname (负责人何|波兰|表示,
    村民林波兰), before a photo credit (苏丹 摄), or a surname-initial country followed by one lone
    character (游客苏丹秀一家)."""
    before = text[start - 1 : start]
    if before in _SURNAMES and start - 1 - lo in bounds:
        return True
    if text[end : end + 4].lstrip(" \u3000").startswith(("摄", "/摄", "供图")):
        return True  # a photo credit: 苏丹 摄
    after = text[end : end + 1]
    return (
        text[start] in _SURNAMES
        and "\u4e00" <= after <= "\u9fff"
        and after not in _NOT_GIVEN_NAME
        and end + 1 - lo in bounds
    )


def stands_alone(text: str, start: int, end: int, runs_on: bool = True) -> bool:
    """The name at [start, end) is a word of its own in ``text`` (jieba's segmentation of a few
    characters around it), or starts a demonym, a style or an institution's name (南非人, 中国式,
    中国工程院): 发展中国家, 印度洋 and 马赛克 are words that merely contain a country's or city's name."""
    lo = max(0, start - 3)
    bounds = word_bounds(text[lo : end + 4])
    if start - lo not in bounds:
        return False
    if end - start == 2 and _person_name(text, start, end, bounds, lo):
        return False
    if end - lo in bounds or text[end : end + 1] in _WORD_TAIL:
        return True
    # a longer word starting with the name: a name of its own (中国工程院, 美国银行) when it runs on
    # for two characters or more, a different word when only one is added (印度洋, 马赛克, 朝鲜族);
    # ``runs_on=False``: never (阿里巴巴 holds no 阿里)
    return runs_on and end + 1 - lo not in bounds
