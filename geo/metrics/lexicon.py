"""What the metrics stage looks for: indicator names, units, qualifiers, growth and share phrases.

Every pattern is compiled once at import. Labels are matched *loosely* — whitespace (including
the line breaks of PDF-extracted magazine text, "完成固\\n\\n定资产投资") may sit between any two
characters — so offsets stay exact on the original text without normalising it first.
"""

from __future__ import annotations

import re

from geo.metrics.catalogue import load_catalogue

S = r"\s*"  # optional whitespace / PDF line break
_WS = re.compile(r"\s")
_WS_COMMA = re.compile(r"[\s,]")


def squeeze(text: str) -> str:
    """``text`` without whitespace, as ``re.sub(r"\\s", "", text)`` (compiled once)."""
    return _WS.sub("", text)


_NUM = r"\d+(?:,\d{3})*(?:\s*\.\s*\d+)?"  # 245.23, 1,095.7, "1.5"
#: Chinese numerals used as magnitudes in this style of text ("超千万", "两万").
_CN = r"[一二两三四五六七八九十]?[十百千万亿]{1,3}"
_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}


def loose(word: str) -> str:
    """Regex for ``word`` allowing whitespace between its characters."""
    return S.join(re.escape(ch) for ch in word)


def _alt(words) -> str:
    """Alternation of labels, longest first; a sector label ``*X`` is matched as X (the sector
    name before it is taken by :func:`sector_start`, which keeps the scan a literal one)."""
    return "|".join(loose(w.lstrip("*")) for w in sorted(words, key=len, reverse=True))


_SECTOR_CHAR = re.compile(r"[\u4e00-\u9fff和与及]")


#: The indicator catalogue (geo/metrics/indicators.csv, see geo.metrics.catalogue).
CATALOGUE = load_catalogue()
#: Indicators matched as "LABEL … VALUE UNIT" and as "VALUE UNIT LABEL".
LABELLED = tuple(i for i in CATALOGUE if i.order == "label value")
VALUE_FIRST = tuple(i for i in CATALOGUE if i.order == "value label")
_LABEL_KEY = {re.sub(r"\s", "", lab): i.key for i in CATALOGUE if i.order != "built in" for lab in i.labels}
#: Sector labels (``*服务业收入``): their key by the words after the sector, longest first.
_SECTOR_KEYS = sorted(
    ((lab[1:], i.key) for i in CATALOGUE if i.order != "built in" for lab in i.labels if lab.startswith("*")),
    key=lambda x: -len(x[0]),
)
#: Indicators whose place must be named in the figure's sentence or the one before.
NAMED_PLACE = frozenset(i.key for i in CATALOGUE if i.place == "named")

#: Units per kind: (unit text, factor to the normalised unit, normalised unit).
UNITS: dict[str, list[tuple[str, float, str]]] = {
    "money": [
        ("万亿元", 10_000, "亿元"),
        ("亿元", 1, "亿元"),
        ("千万元", 0.1, "亿元"),
        ("万元", 1e-4, "亿元"),
        ("万亿", 10_000, "亿元"),
        ("亿美元", 1, "亿美元"),
        ("万美元", 1e-4, "亿美元"),
        ("美元", 1e-8, "亿美元"),
        ("元", 1e-8, "亿元"),
        ("亿", 1, "亿元"),
    ],
    "population": [("万人", 10_000, "人"), ("人", 1, "人"), ("万", 10_000, "人"), ("", 1, "人")],
    "area": [
        ("平方公里", 1, "平方公里"),
        ("平方千米", 1, "平方公里"),
        ("km²", 1, "平方公里"),
        ("km2", 1, "平方公里"),
        ("万平方米", 0.01, "平方公里"),
        ("平方米", 1e-6, "平方公里"),
        ("平米", 1e-6, "平方公里"),
        ("公顷", 0.01, "平方公里"),
        ("万亩", 10_000 / 1500, "平方公里"),
        ("亩", 1 / 1500, "平方公里"),
    ],
    "density": [
        ("万人/平方公里", 10_000, "人/平方公里"),
        ("人/平方公里", 1, "人/平方公里"),
        ("万人/平方千米", 10_000, "人/平方公里"),
        ("人/平方千米", 1, "人/平方公里"),
    ],
    "firms": [("家", 1, "家")],
    "count": [("个", 1, "个"), ("项", 1, "个"), ("宗", 1, "个")],
    "percent": [("%", 1, "%"), ("％", 1, "%")],
}
_UNIT_INFO = {(kind, re.sub(r"\s", "", u)): (f, n) for kind, rows in UNITS.items() for u, f, n in rows}


def _unit_alt(kind: str) -> str:
    alts = [loose(u) for u, _, _ in UNITS[kind] if u]
    if kind == "money":  # bare 亿 must not be "1 亿杯咖啡"
        alts = [a for a in alts if a != loose("亿")] + [r"亿(?![杯人件次份个台辆头只吨])"]
    return "|".join(alts)


QUAL_PRE = r"(?P<qpre>超过|超出|超|逾|突破|高达|近|接近|将近|约|大约|不低于|不少于)"
_QUAL_NORM = {
    "超过": "over",
    "超出": "over",
    "超": "over",
    "逾": "over",
    "突破": "over",
    "以上": "over",
    "余": "over",
    "多": "over",
    "不低于": "over",
    "不少于": "over",
    "之多": "over",
    "近": "nearly",
    "接近": "nearly",
    "将近": "nearly",
    "约": "about",
    "大约": "about",
    "左右": "about",
}
_RANGE = rf"(?:{S}(?:—|–|-|~|～|至|到){S}(?P<num2>{_NUM}))?"
#: Between a label and its value: no digits, no clause punctuation; optionally "由 X 增长至".
_FROM_TO = r"(?:[^。！？；;，,、\d%％]{0,8}?(?:由|从)[^。！？；;，,、]{0,16}?(?:到|至))"
_ASIDE = r"[（(][^）)。，,]{0,12}[)）]"  # "(500 万口径)"
_GAP = rf"(?P<gap>{_FROM_TO}|(?:{_ASIDE}|[^。！？；;，,、\d%％（(]){{0,12}}?)"


def _value_pattern(kind: str, unit_required: bool) -> str:
    unit = rf"(?P<unit>{_unit_alt(kind)})" + ("" if unit_required else "?")
    return (
        rf"(?P<value>(?P<num>{_NUM}|{_CN}){_RANGE}{S}(?P<qpost>余|多)?{S}{unit})"
        rf"(?P<qafter>{S}(?:以上|左右|之多))?"
    )


# One regex per kind keeps group names simple and lets the caller know the kind from the regex.
LABELLED_RE = {
    kind: re.compile(
        rf"(?P<label>{_alt([lab for i in LABELLED if i.kind == kind for lab in i.labels])})"
        rf"{_GAP}{QUAL_PRE}?{S}" + _value_pattern(kind, kind != "population")
    )
    for kind in sorted({i.kind for i in LABELLED})
}
#: "8 家企业签约落户": the value first, the label right after it. ``VALUE_FIRST_LABEL_RE`` finds
#: the labels (a literal scan); ``VALUE_FIRST_RE`` then matches value and label in a short window.
VALUE_FIRST_LABEL_RE = {
    kind: re.compile(_alt([lab for i in VALUE_FIRST if i.kind == kind for lab in i.labels]))
    for kind in sorted({i.kind for i in VALUE_FIRST})
}
VALUE_FIRST_RE = {
    kind: re.compile(
        rf"{QUAL_PRE}?{S}" + _value_pattern(kind, True) + rf"{S}(?P<gap>)"
        rf"(?P<label>{_alt([lab for i in VALUE_FIRST if i.kind == kind for lab in i.labels])})"
    )
    for kind in sorted({i.kind for i in VALUE_FIRST})
}

#: Any label of the catalogue (label-value order), and a list of them before 分别 (a value each).
ANY_LABEL_RE = re.compile(_alt([lab for i in LABELLED for lab in i.labels]))
LABEL_LIST_RE = re.compile(
    rf"(?P<labels>(?:{ANY_LABEL_RE.pattern})(?:{S}[、和及与]{S}(?:{ANY_LABEL_RE.pattern}))+)"
    rf"{S}分{S}别{S}(?:为|达到|达|是)?{S}"
)
FIRST_VALUE_RE = {
    kind: re.compile(rf"{QUAL_PRE}?{S}(?P<value>(?P<num>{_NUM}){S}(?P<unit>{_unit_alt(kind)}))")
    for kind in sorted({i.kind for i in LABELLED})
}
_KIND = {i.key: i.kind for i in CATALOGUE}


def kind_of(key: str | None) -> str | None:
    return _KIND.get(key or "")


#: "分别为 1413 平方公里和 1228 平方公里": further values after the first one.
MORE_VALUES_RE = {
    kind: re.compile(
        rf"{S}(?:和|、|及|与|,|，){S}(?:{QUAL_PRE}{S})?(?P<num>{_NUM})"
        rf"{S}(?P<qpost>余|多)?{S}(?P<unit>{_unit_alt(kind)})?"
        r"(?=\s*(?:和|、|及|与|，|,|。|；|;|$))"
    )
    for kind in UNITS
}

_PROJ_MOD = r"(?P<mod>[^。！？；;，,、\d]{0,10}?)"
_COUNT = rf"(?P<value>(?P<num>\d+){S}(?P<qpost>余|多)?{S}(?P<unit>个|项|宗))"
#: (新)招引 / (新)引进: ``(?:新\s*)?(?:招\s*引|引\s*进)`` spelt as three alternatives, each
#: opening with its own character, so that the regex engine skips to them (same matches).
_INTRODUCE = rf"(?:新{S}(?:招{S}引|引{S}进)|招{S}引|引{S}进)"
#: Count indicators: (metric, key, regex). Tried in order; later matches overlapping earlier ones
#: drop. ``key`` is a character every match holds (签约, 招引/引进, 重大/重点), as is 项 (项目); no pattern
#: crosses a 。, so each is matched only in the sentences holding both (geo.metrics.find.find_figures).
COUNT_RES = (
    (
        "signed_projects",
        "签",
        re.compile(rf"(?P<label>签{S}约){_PROJ_MOD}项{S}目{S}(?:数{S})?(?:达{S})?{_COUNT}"),
    ),
    (
        "signed_projects",
        "签",
        re.compile(rf"{_COUNT}{_PROJ_MOD}(?P<label>项{S}目){S}(?:成功|正式|集中)?{S}签{S}约"),
    ),
    (
        "projects_introduced",
        "引",
        re.compile(rf"(?P<label>{_INTRODUCE}(?:{S}落{S}地)?)(?:{S}了)?{_PROJ_MOD}项{S}目{S}{_COUNT}"),
    ),
    (
        "projects_introduced",
        "引",
        re.compile(rf"(?P<label>{_INTRODUCE}(?:{S}落{S}地)?)(?:{S}了)?{S}{_COUNT}{_PROJ_MOD}项{S}目"),
    ),
    (
        "key_projects",
        "重",
        re.compile(rf"(?P<label>(?:重{S}大|重{S}点)[^。！？；;，,、\d]{{0,4}}?项{S}目){S}{_COUNT}"),
    ),
    (
        "key_projects",
        "重",
        re.compile(rf"{_COUNT}(?P<label>(?:重{S}大|重{S}点)[^。！？；;，,、\d]{{0,4}}?项{S}目)"),
    ),
)
#: Project counts that are not investment projects (talent programmes, sub-counts).
COUNT_MOD_REJECT = re.compile(r"人才|其中|以上项目")

#: An area given straight after a place: "原上城区仅 18 平方公里".
AREA_AFTER_PLACE_RE = re.compile(
    rf"{S}(?P<label>仅|约|为|达|共|有)?{S}(?P<value>(?P<num>{_NUM}){S}"
    rf"(?P<unit>平{S}方{S}公{S}里|平{S}方{S}千{S}米))(?!{S}[/／])"
)

#: R&D intensity: "R&D 投入强度达 4.5%", "研发经费占全区生产总值比重为 9.87%".
RD_INTENSITY_RE = re.compile(
    rf"(?P<label>(?:R{S}&{S}D|研{S}发)(?:{S}经{S}费)?(?:{S}投{S}入)?{S}"
    rf"(?:强{S}度|占[^。！？；;，,\d]{{0,10}}?(?:生{S}产{S}总{S}值|G{S}D{S}P)(?:{S}的)?{S}比{S}[重例]))"
    rf"{S}(?:为|达到?|是)?{S}{QUAL_PRE}?{S}(?P<value>(?P<num>{_NUM}){S}(?P<unit>%|％))"
)

#: Year-on-year change after a value. ``resp`` = "分别" (respectively), ``more`` = further percentages.
YOY_RE = re.compile(
    rf"(?P<avg>平{S}均{S}每{S}年|年{S}均|平{S}均)?{S}(?P<resp>分{S}别)?{S}(?:为{S})?"
    rf"(?P<cmp>同{S}比|比{S}上{S}年(?:{S}同{S}期)?|较{S}上{S}年(?:{S}同{S}期)?|比{S}去{S}年(?:{S}同{S}期)?|"
    rf"较{S}去{S}年(?:{S}同{S}期)?)?{S}"
    rf"(?:(?P<verb>增{S}长|增{S}加|上{S}升|提{S}高|提{S}升|下{S}降|减{S}少|回{S}落|下{S}滑|降{S}低)(?:{S}了)?|"
    rf"(?P<noun>增{S}速|增{S}幅|增{S}长{S}率|涨{S}幅|降{S}幅)(?:{S}(?:为|达到|达|是))?)"
    rf"{S}(?P<pct>{_NUM}){S}[%％](?P<more>(?:{S}(?:和|、|及|与){S}{_NUM}{S}[%％])*)"
)
YOY_MORE_RE = re.compile(rf"({_NUM}){S}[%％]")
_NEGATIVE = re.compile(r"下\s*降|减\s*少|回\s*落|下\s*滑|降\s*低|降\s*幅")

#: A share right after a value: "，占全区规上工业总产值的64.48%".
SHARE_RE = re.compile(
    rf"^[^。！？；;\d%％]{{0,14}}?(?P<label>占{S}[^。！？；;，,\d%％]{{0,16}}?)"
    rf"{S}(?:的{S})?(?:比{S}[重例]{S})?(?:为|达到?)?{S}{QUAL_PRE}?{S}"
    rf"(?P<value>(?P<num>{_NUM}){S}(?P<unit>%|％))"
)

#: Firms that are the object of an action, candidates or newcomers are not the count of a place's
#: firms ("已投资区内上市企业 4 家", "拟上市企业 30 余家", "新增规上工业企业 56 家").
FIRMS_PREFIX_REJECT = re.compile(
    r"(?:(?:投资|惠及|帮助|服务|走访|对接|协调|培育出)[^，。；]{0,3}|拟|准|后备|新增|新认定|新引进)$"
)
#: A land figure of a single project: "用地约 15 亩，总投资约 2 亿元的和达综合能源低碳示范基地项目".
PROJECT_AFTER_RE = re.compile(r"[^。；;]{0,30}?的[^。；;，,]{0,24}(?:项\s*目|基\s*地)")
#: Words that make a labelled match something else (per-capita, building floor area, growth amount).
LABEL_PREFIX_REJECT = re.compile(
    r"(?:人均|亩均|户均|年均|平均|单位|建筑|占地|厂房|用地|使用|绿地|绿化|营业|"
    r"经营|水域|耕地|林地|种植|展览|办公|商业|住宅|楼宇|密度|产业|员工|产品|低效)$"
)
GAP_REJECT = re.compile(
    r"增长(?!至|到)|增加(?!至|到)|增速|增幅|下降|减少|密度|比重|比例|占比|强度|人均|亩均|"
    r"平均|贡献|倍"
)
#: An organisation as the subject: its figures are not the place's ("联德股份 … 研发投入"). A
#: company name holds for the rest of its sentence; a generic word ("企业") only for its clause.
ORG_CUE_RE = re.compile(r"有限(?:责任)?公司|公司|集团|股份|招股书")
ORG_CUE_CLAUSE_RE = re.compile(
    r"(?<!工业)(?<!规上)(?<!以上)企业(?!数|总数)|银行|医院|大学|学院|研究院|实验室"
)
#: Plans and targets.
TARGET_RE = re.compile(
    rf"到{S}\d{{4}}{S}年|力争|预计|预期|目标|计划|争取|规划(?!{S}(?:面积|用地|中))|有望|确保|可实现|要实现|"
    rf"将{S}(?:达|实现|突破|超过|完成)"
)
#: Place-words that refer back to a place named earlier ("全区", "该街道", "街道全年…").
ANAPHOR_RE = re.compile(
    r"(?:^|(?<=[，。；：,;:！？!?”\s]))(?:(?:该|全|本|此)(?P<suf>街道|开发区|高新区|科技城|园区|新区|"
    r"区域|片区|市区|镇|乡|县|市|区)|(?P<bare>街道|开发区|高新区|科技城|新区|市区))"
)
#: A place right before these is a location or a partner, not the subject.
REL_BEFORE_RE = re.compile(
    r"(?:与|同|跟|对接|赴|来自|迁入|落户|背靠|毗邻|紧邻|[东南西北][接邻靠至临]|连接|相比|比|较|"
    r"位于|坐落于|坐落在|地处|前往|走进|下辖|辖|包括|涵盖|以及|[（(])\s*$"
)
REL_AFTER_RE = re.compile(r"^\s*(?:沿线|周边|以[东南西北]|[东南西北]侧|附近|之外|以外|方向|一带|相比)")
LIST_JOIN_RE = re.compile(r"^\s*[区县市镇乡]?\s*[、和与及]\s*原?\s*$")  # "萧山\\n区、余杭区"
CHAIN_JOIN_RE = re.compile(r"^[\s()（）]*$")


def label_key(label_text: str) -> str | None:
    label = _WS.sub("", label_text)
    if label in _LABEL_KEY:
        return _LABEL_KEY[label]
    return next((key for tail, key in _SECTOR_KEYS if label.endswith(tail)), None)


def is_sector_label(label_text: str) -> bool:
    """The label is the tail of a sector label (``服务业收入`` of ``*服务业收入``)."""
    label = _WS.sub("", label_text)
    return label not in _LABEL_KEY and any(label == tail for tail, _ in _SECTOR_KEYS)


def sector_start(text: str, start: int, most: int = 12) -> int | None:
    """Where the sector name before a sector label starts (``软件和信息技术`` before ``服务业收入``):
    Han characters back to punctuation or a digit, 2–12 of them; None if fewer than 2."""
    k = start
    while k > 0 and start - k < most and _SECTOR_CHAR.match(text, k - 1):
        k -= 1
    return k if start - k >= 2 else None


def unit_info(kind: str, unit_text: str | None) -> tuple[float, str] | None:
    return _UNIT_INFO.get((kind, _WS.sub("", unit_text or "")))


def qualifier(*words: str | None) -> str | None:
    for w in words:
        w = _WS.sub("", w or "")
        if w in _QUAL_NORM:
            return _QUAL_NORM[w]
    return None


def parse_number(text: str) -> float | None:
    """'1,095.7' → 1095.7; Chinese magnitudes '千万' → 10000000, '两万' → 20000."""
    t = _WS_COMMA.sub("", text)
    if not t:
        return None
    if t[0].isdigit():
        return float(t)
    total, section, digit = 0, 0, 1
    seen_digit = False
    for ch in t:
        if ch in _CN_DIGITS:
            digit, seen_digit = _CN_DIGITS[ch], True
        elif ch in ("万", "亿"):
            section = (section + (digit if seen_digit else 0)) or 1
            total = (total + section) * _CN_UNITS[ch]
            section, digit, seen_digit = 0, 1, False
        elif ch in _CN_UNITS:
            section += digit * _CN_UNITS[ch]
            digit, seen_digit = 1, False
        else:
            return None
    return float(total + section + (digit if seen_digit else 0))


def is_negative(yoy_text: str) -> bool:
    return bool(_NEGATIVE.search(yoy_text))
