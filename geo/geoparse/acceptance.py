"""Whether a candidate place is a reading of a name at all: the acceptance rule that both
resolvers of :mod:`geo.geoparse.evidence` share (scoring only ranks the accepted candidates).

A full official name is accepted, a short form needs weak evidence (萧山 in a home-province
text), a name that is also a word strong evidence (城区 after 萧山区), a village its township or
county in the article (新联村 after 瓜沥镇).
"""

from __future__ import annotations

from geo.geoparse.context import Context
from geo.geoparse.countries import LEVELS as ABROAD_LEVELS
from geo.geoparse.countries import stands_alone
from geo.geoparse.cues import counted_county, in_list, people_of, short_form_stands, travel_cue
from geo.geoparse.entries import Candidate
from geo.geoparse.recognize import RawMatch
from geo.geoparse.short_counties import county_word
from geo.geoparse.villages import village_name_follows


def _district_named(c: Candidate, ctx: Context) -> bool:
    """The township's own county is named in full in this context (白杨 → 白杨街道 where the
    article names 钱塘区): the only evidence a township's short form gets without a parent."""
    county = c.county
    return county is not None and county != c.pid and ctx.places.get(county, 0) > 0


def _township_in_district(
    m: RawMatch, c: Candidate, text: str, base: int, art: Context, doc: Context | None
) -> bool:
    """A township's short form read in its own district's context: the article names the district
    in full, the document writes the township in full somewhere (白杨 in a 钱塘区 article that also
    says 白杨街道), and the short form does not start a brand in quotes (“七星服务”) or a facility's
    name (石林水上运动中心)."""
    if m.word_continues or doc is None or c.pid not in doc.named_townships:
        return False
    if not _district_named(c, art):
        return False
    return short_form_stands(text, m.start - base, m.end - base)


def _alone(m: RawMatch, text: str, base: int) -> bool:
    """A city's short form read without evidence (扬州, 昆山: ``NameEntry.standalone``) where the
    text writes it as a word of its own: not the start of a longer word, not inside an
    organisation's name or another unit's (榆林乡), not overlapping another name, not part of a
    person's name (jieba's words around it)."""
    return (
        m.entry.standalone
        and not m.word_continues
        and not m.in_org
        and m.alt is None  # 洋张村和龙溪村: no other name runs on from inside it (和龙 | 龙溪村)
        and text[m.end - base : m.end - base + 1] not in _DIVISION_NEXT  # 临夏县榆林乡: a township's name
        and stands_alone(text, m.start - base, m.end - base, runs_on=False)
    )


def _city_vouched(m: RawMatch, c: Candidate, text: str, base: int, art: Context, supported: bool) -> bool:
    """A city's short form that is also a word (怀化, 山南), read as the city where the article names
    one of its counties in full (桑日县 … 山南) or its province (湖南省 … 在怀化举行), and the text
    writes it as a word of its own (not 大同小异, 世界大同 in a 山西 article: jieba's words)."""
    if m.word_continues or m.in_org:
        return False
    if not (supported or art.provinces.get(c.province, 0) > 0):
        return False
    return stands_alone(text, m.start - base, m.end - base, runs_on=False)


#: After a county's short form, these make it an old unit's name that the gazetteer lacks (钱塘县,
#: 缙云郡): not today's county or district.
_OLD_UNIT_NEXT = frozenset("县郡")
#: Levels whose short form (海口, 文昌: also words) a journey's verb makes a place: 从海口出发.
_TRAVELLED = frozenset(("city", "county"))
#: After a city's short form, these make it part of another unit's name (榆林乡, 定远村).
_DIVISION_NEXT = frozenset("乡镇村县区市省旗盟州")


def accepted(
    m: RawMatch,
    c: Candidate,
    text: str,
    base: int,
    art: Context,
    doc: Context | None,
    listed: bool,
    explicit: bool,
    admin: bool,
    supported: bool,
    strong: bool,
    weak: bool,
    single: bool,
) -> bool:
    """Whether candidate ``c`` is a reading of ``m`` at all (scoring only ranks the accepted ones);
    one rule for both resolvers. ``single``: the name has no other candidate, so a city's short
    form may stand on its own (扬州, 昆山: :func:`_alone`). The answers that need no text are
    :func:`plain_answer`'s, which the resolvers ask first (most names: no 13-argument call)."""
    kind, lev = c.kind, c.level
    if kind == "short" and lev == "county" and text[m.end - base : m.end - base + 1] in _OLD_UNIT_NEXT:
        return False  # 钱塘县 (abolished 1912) is no 钱塘区 (2021): an old unit the gazetteer lacks
    if kind == "short" and lev == "county" and village_name_follows(text, m.end - base):
        return False  # 眉山市天台村: a village the gazetteer lacks, not 天台县 (but 天台村民, 淳安村晚)
    s, e = m.start - base, m.end - base
    if kind == "historical" and e - s <= 2 and not stands_alone(text, s, e):
        return False  # 召开县人大: no 开县 (重庆, until 2016) inside 召开
    if m.entry.wordlike:
        if kind == "short" and c.in_home and lev in ("city", "county") and not m.word_continues:
            return True  # 建德航头, 绍兴市民: a home county that is also a dictionary word, used as a name
        # a word like 城区/高新区/新村 counts only with a parent in front, a division suffix after,
        # or the same place named in full elsewhere in the article; a city in a list of cities
        # (北京、天津) is a name too, and so is a township of the district the article names when
        # the document writes the township in full (白杨 in a 钱塘区 article, 白杨街道)
        return (
            explicit
            or admin
            or art.places.get(c.pid, 0) > 0
            or (single and _alone(m, text, base))
            or (listed and kind == "short" and lev in ("province", "city") and not m.word_continues)
            or (listed and kind == "short" and lev == "county" and counted_county(m, text, base))
            or (kind == "short" and lev == "township" and _township_in_district(m, c, text, base, art, doc))
            or (lev == "county" and kind == "full" and county_word(m, text, base))  # 来到涉县
            or (kind == "short" and lev in _TRAVELLED and not m.in_org and travel_cue(m, text, base))
            or (kind == "short" and lev == "city" and not m.in_org and people_of(m, text, base))
            or (kind == "short" and lev == "city" and _city_vouched(m, c, text, base, art, supported))
        )
    if lev in ABROAD_LEVELS:
        return stands_alone(text, m.start - base, m.end - base)  # 发展中国家 holds no 中国
    plain = plain_answer(c, False, explicit, supported, weak)
    if plain is not None:
        return plain
    if kind == "short" and lev == "township":
        return (
            explicit
            or admin
            or art.places.get(c.pid, 0) > 0
            or _township_in_district(m, c, text, base, art, doc)
        )
    if kind == "short" and lev == "city" and not c.in_home:
        # 深圳、济南 / 东莞 beside 深圳市光明区: yes; 大同小异, 长治久效, 中山大学: no
        return not m.in_org and (
            explicit
            or admin
            or supported
            or listed
            or in_list(m, text, base)
            or art.provinces.get(c.province, 0) > 0
            or (single and _alone(m, text, base))
            or travel_cue(m, text, base)  # 抵达南昌, 来自海口
            or people_of(m, text, base)  # 四位南昌影友
        )
    if kind == "short":
        return (
            lev in ("province", "city")
            or weak
            or (single and _alone(m, text, base))
            or (lev == "county" and travel_cue(m, text, base))  # 前往文昌
            or (listed and lev == "county" and counted_county(m, text, base))
        )
    # what is left: a generated former township (城厢镇): strong evidence, and a parent in front
    # where a town of the home province bears the name today (its reading is the likely one)
    return explicit or (strong and not any(h.in_home and h.prior >= 0 for h in m.entry.candidates))


def plain_answer(c: Candidate, wordlike: bool, explicit: bool, supported: bool, weak: bool) -> bool | None:
    """:func:`accepted`'s answer where the words around the name do not matter, or None: a name
    that is no word, not abroad, not a short form (but a village's) and not a generated former
    name. A village needs a parent in front or support (新联村), a township weak evidence, a
    division written in full (萧山区) is one."""
    lev = c.level
    if (
        wordlike
        or lev in ABROAD_LEVELS
        or (c.kind == "short" and lev != "village")
        or (lev == "township" and c.prior < 0)
    ):
        return None
    if lev == "village":
        return explicit or supported
    return weak if lev == "township" else True
