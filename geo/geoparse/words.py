"""Words, not places: the dictionaries and the segmenter recognition consults.

- ordinary words and idioms (jionlp's dictionaries) that a short place name may also spell
  (江山, 合作; 江山如画);
- other countries' names, to skip 德州 in 美国德州;
- organisation suffixes read as words (jieba): 杭州银行 is a bank, 杭州市部分行政区划 is not (部分|行政区划).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from geo.gazetteer.sources import read_jionlp_words
from geo.geoparse.segmenter import jieba_tokenizer, word_segmenter

#: Characters that end the run of text after a name in which we look for an organisation suffix.
_STOP = set("，。；：、,.;:!?！？“”\"'‘’（）()【】《》[]<>\n\r\t 　的在和与及是为了将等从对向由于把被")
#: A place inside one of these is part of an organisation's name, not a plain mention.
_ORG_SUFFIXES = (
    "有限公司",
    "有限责任公司",
    "股份公司",
    "公司",
    "集团",
    "医院",
    "大学",
    "学院",
    "学校",
    "中学",
    "小学",
    "幼儿园",
    "实验室",
    "研究院",
    "研究所",
    "银行",
    "分行",
    "支行",
    "协会",
    "商会",
    "报社",
    "电视台",
    "出版社",
    "酒店",
    "宾馆",
    "事务所",
    "合作社",
    "俱乐部",
    "基金会",
    "中心医院",
    "纵队",  # 东江纵队, 琼崖纵队: an army's unit named after its region
)
_NOT_STOP = "[^" + "".join(re.escape(c) for c in sorted(_STOP)) + "]"
_RUN_TO_STOP = re.compile(_NOT_STOP + "*")
_ORG_SUFFIX_RE = re.compile("|".join(re.escape(s) for s in _ORG_SUFFIXES))
#: A suffix inside the run up to the first stop character (no suffix holds a stop character).
_SUFFIX_IN_RUN = re.compile(_NOT_STOP + "*?(?:" + _ORG_SUFFIX_RE.pattern + ")")
#: How far after a name an organisation suffix is looked for.
ORG_LOOKAHEAD = 18


def in_org(tail: str) -> bool:
    """True when the words right after a name (up to a stop character) end in an organisation
    suffix (…有限公司), read as words: 杭州市部分行政区划 holds 分行 only as characters (部分|行政区划)."""
    run = _RUN_TO_STOP.match(tail)
    assert run is not None  # "[^…]*" matches (possibly empty) at the start of any string
    text = run.group()
    if _ORG_SUFFIX_RE.search(text) is None:
        return False  # the common case: no suffix at all, no segmentation
    return any(_is_word_end(text, suffix) for suffix in _ORG_SUFFIXES if suffix in text)


def in_org_at(text: str, end: int) -> bool:
    """``in_org(text[end : end + ORG_LOOKAHEAD])`` without the slices in the common case (no
    suffix before the next stop character)."""
    if _SUFFIX_IN_RUN.match(text, end, end + ORG_LOOKAHEAD) is None:
        return False
    return in_org(text[end : end + ORG_LOOKAHEAD])


def _inner_starts(suffix: str) -> tuple[int, ...]:
    """Offsets inside ``suffix`` where another suffix could begin (大学|院: 学院 at 1)."""
    return tuple(
        k
        for k in range(1, len(suffix))
        if any(t.startswith(suffix[k:]) or suffix[k:].startswith(t) for t in _ORG_SUFFIXES)
    )


_INNER_STARTS = {s: _inner_starts(s) for s in _ORG_SUFFIXES}
#: The last offset after a name an organisation suffix (two characters at least) can start at.
ORG_REACH = ORG_LOOKAHEAD - min(map(len, _ORG_SUFFIXES))


def org_suffix_starts(text: str) -> list[int]:
    """Every offset where an organisation suffix may start, in order (a superset: the suffixes
    found, and inside each the offsets where an overlapping one could begin). A name with none
    within ORG_REACH after it is in no organisation's name: :func:`in_org_at` is False there."""
    out = []
    for m in _ORG_SUFFIX_RE.finditer(text):
        s = m.start()
        out.append(s)
        out.extend([s + k for k in _INNER_STARTS[m.group()]])
    return out


def _is_word_end(text: str, suffix: str) -> bool:
    """``suffix`` ends a word of ``text`` and starts one, or is the tail of one word
    (农商银行|杭州|分行, 建设银行: yes; 部分|行政: no; 中学生, 学院路: no). Only a few characters
    around the suffix are segmented (the words there decide it), so the cache is shared widely."""
    i = text.find(suffix)
    while i >= 0:
        j = i + len(suffix)
        lo = max(0, i - 4)
        bounds = word_bounds(text[lo : j + 2])
        if (j - lo) in bounds and ((i - lo) in bounds or not any(i - lo < b < j - lo for b in bounds)):
            return True
        i = text.find(suffix, i + 1)
    return False


@lru_cache(maxsize=65536)
def word_bounds(text: str) -> frozenset[int]:
    """Word boundaries (offsets) of a short text, from jieba's dictionary segmentation."""
    bounds, pos = {0}, 0
    for w in word_segmenter().lcut(text):  # (jieba's, HMM off: geo.geoparse.segmenter)
        pos += len(w)
        bounds.add(pos)
    return frozenset(bounds)


@lru_cache(maxsize=1)
def _jieba_dictionary() -> tuple[dict[str, str], dict[str, int]]:
    """jieba's dictionary read once as a file (the segmenter is not loaded): tag and count per word."""
    tags: dict[str, str] = {}
    counts: dict[str, int] = {}
    with jieba_tokenizer().get_dict_file() as f:
        for raw in f:
            parts = raw.decode("utf-8").split()
            if len(parts) >= 2:
                counts[parts[0]] = int(parts[1])
                if len(parts) >= 3:
                    tags[parts[0]] = parts[2]
    return tags, counts


def jieba_tags() -> dict[str, str]:
    """Part-of-speech tag of every word of jieba's dictionary (``ns``: a place name)."""
    return _jieba_dictionary()[0]


def jieba_counts() -> dict[str, int]:
    """How often jieba's dictionary counts each word: 中原 (2825, the Central Plains) is a common
    word far more than 郑州's 中原区; 溆浦 (6) is the county's name only."""
    return _jieba_dictionary()[1]


def jionlp_dictionary() -> Path:
    """jionlp's data folder, found without importing jionlp (its import prints a banner)."""
    spec = find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("jionlp is not installed (pip install -r requirements.txt)")
    return Path(next(iter(spec.submodule_search_locations))) / "dictionary"


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Ordinary 2–3 character words: names spelled like them need strong evidence."""
    return read_jionlp_words(2, 3)  # entries defined as places (浙江, 钱塘, 丽水 …) left out


@lru_cache(maxsize=1)
def longer_words() -> frozenset[str]:
    """3–4 character words and idioms: a short form starting one (江山如画) is a word."""
    return read_jionlp_words(3, 4, ("chinese_word_dictionary.zip", "chinese_idiom.zip"))


@lru_cache(maxsize=1)
def foreign_countries() -> tuple[str, ...]:
    """Chinese names of other countries (jionlp's world_location.txt), to spot 美国德州."""
    path = jionlp_dictionary() / "world_location.txt"
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0] not in ("中国",):
            names.add(parts[0].strip())
    return tuple(sorted(n for n in names if n))


@lru_cache(maxsize=1)
def _foreign_set() -> tuple[frozenset[str], tuple[int, ...], frozenset[str]]:
    names = frozenset(foreign_countries())
    return names, tuple(sorted({len(n) for n in names})), frozenset(n[-1] for n in names)


def foreign_last_chars() -> frozenset[str]:
    """The characters a country's name ends with: a name after any other is not after a country."""
    return _foreign_set()[2]


#: Chinese places whose name ends with a country's: 内蒙古呼市 is not in Mongolia.
_DOMESTIC_ENDINGS = ("内蒙古",)
#: How far before a name a country's name is looked for.
FOREIGN_LOOKBEHIND = 6


def ends_with_foreign(text: str, start: int) -> bool:
    """True when the text right before ``start`` (at most FOREIGN_LOOKBEHIND characters) ends with
    a country name: rejected on its last character alone in the common case, then one set lookup
    per name length instead of an endswith() per country (this runs for every match)."""
    names, lengths, last = _foreign_set()
    if start == 0 or text[start - 1] not in last:
        return False
    head = text[max(0, start - FOREIGN_LOOKBEHIND) : start]
    for k in lengths:
        if k > len(head):
            return False
        if head[-k:] in names:
            return not head.endswith(_DOMESTIC_ENDINGS)
    return False
