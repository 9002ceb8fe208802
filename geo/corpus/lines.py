"""Line primitives shared by the news and magazine splitters.

Lines with exact offsets, personal names in bylines (``汪燕鸣 王佳萱``, padded ``叶 蕾``, with
role words ``本报记者 石骁建 通讯员 郝芳玉``), title-like and unit lines (``国网台州市黄岩区供电公司:``).
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Line(NamedTuple):
    """One non-blank line; ``start``/``end`` bracket its text without surrounding whitespace."""

    start: int
    end: int
    text: str
    indented: bool  # the raw line began with whitespace (a new text box in PDF extractions)
    joined: bool  # the previous non-blank line is directly above it (no blank line between)


class ArticleSpan(NamedTuple):
    start: int
    end: int
    title: str
    byline: tuple[str, ...]
    body_start: int
    sections: tuple[tuple[str, int], ...] = ()  # (heading, offset where the section starts)


#: A line ends at LF, CRLF or a lone CR (old Mac files): ``(?<![^\r\n])`` is "at a line start".
_LINE_RE = re.compile(r"(?<![^\r\n])([^\S\r\n]*)(\S(?:[^\r\n]*\S)?)[^\S\r\n]*(?![^\r\n])")
_WS_RE = re.compile(r"\s+")


def scan_lines(text: str) -> list[Line]:
    """Every non-blank line with exact offsets; a line ends at LF, CRLF or a lone CR."""
    if "\r" not in text:
        return _scan_lf(text)
    lines: list[Line] = []
    prev_end = -1
    count = text.count
    for m in _LINE_RE.finditer(text):
        s, e = m.span(2)
        joined = (
            prev_end >= 0
            and count("\n", prev_end, s) + count("\r", prev_end, s) - count("\r\n", prev_end, s) == 1
        )
        lines.append(Line(s, e, m.group(2), bool(m.group(1)), joined))
        prev_end = e
    return lines


def _scan_lf(text: str) -> list[Line]:
    """``scan_lines`` of a text without CRs, from ``str.split``: the same lines as the regex
    (``\\s`` and ``str.strip`` take the same characters for whitespace), several times faster. A
    line is joined when the piece before it was a line (one line end between them)."""
    lines: list[Line] = []
    append = lines.append
    pos = 0
    prev = -2  # index of the last non-blank piece
    for k, piece in enumerate(text.split("\n")):
        n = len(piece)
        left = piece.lstrip()
        if left:
            line = left.rstrip()
            s = pos + n - len(left)
            append(Line(s, s + len(line), line, s != pos, prev == k - 1))
            prev = k
        pos += n + 1
    return lines


def squash(s: str) -> str:
    """The string without any whitespace: how multi-line titles are compared with the text."""
    return _WS_RE.sub("", s)


# ---------------------------------------------------------------- names and bylines

#: 百家姓 single-character surnames (plus 于/叶-style common ones it already has).
SURNAMES = frozenset(
    "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎鲁韦昌"
    "马苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余元卜顾孟平黄和穆萧尹姚邵"
    "湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵季麻强贾路娄危江童颜郭梅盛林刁钟徐邱骆高夏"
    "蔡田樊胡凌霍虞万支柯昝管卢莫经房裘缪干解应宗丁宣贲邓郁单杭洪包诸左石崔吉钮龚程嵇邢滑裴陆荣翁荀羊於惠甄"
    "曲家封芮羿储靳汲邴糜松井段富巫乌焦巴弓牧隗山谷车侯宓蓬全郗班仰秋仲伊宫宁仇栾暴甘钭厉戎祖武符刘景詹束龙"
    "叶幸司韶郜黎蓟薄印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔阴胥能苍双闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍郤璩桑桂"
    "濮牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹习宦艾鱼容向古易慎戈廖庾终暨居衡步都耿满弘匡国文寇广禄阙"
    "东欧殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空曾毋沙乜养鞠须丰巢关蒯相查后荆红游竺权逯盖益桓公"
    "仉督晋楚闫法汝鄢涂钦归海岳帅缑亢况有琴商牟佘佴伯赏墨哈谯笪年爱阳佟言福"
)
COMPOUND_SURNAMES = frozenset(
    (
        "万俟 司马 上官 欧阳 夏侯 诸葛 闻人 东方 赫连 皇甫 尉迟 公羊 澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 "
        "公孙 仲孙 轩辕 令狐 钟离 宇文 长孙 慕容 鲜于 闾丘 司徒 司空 端木 南宫 西门 呼延 百里 东郭 第五"
    ).split()
)
#: Words that look like names in a credit line but are roles (``王佳萱 摄影``).
NOT_NAMES = frozenset("摄影 供图 图片 记者 通讯员 编辑 整理 作者 本报 来源 制图 文字".split())
NAME_TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff·]{1,4}")


def _is_surname(name: str) -> bool:
    return name[0] in SURNAMES or name[:2] in COMPOUND_SURNAMES


def byline_names(s: str) -> tuple[tuple[str, ...], int] | None:
    """(names, how many have a known surname) if the line is only 1–4 personal names, else None."""
    if len(s) > 24:
        return None
    tokens = s.split()
    if not tokens or not all(NAME_TOKEN.fullmatch(t) for t in tokens):
        return None
    names: list[str] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if len(t) == 1:  # "叶 蕾": a padded two-character name
            if i + 1 < len(tokens) and len(tokens[i + 1]) == 1:
                names.append(t + tokens[i + 1])
                i += 2
                continue
            return None  # "王佳萱 摄": a photo credit, not a byline
        names.append(t)
        i += 1
    if not 1 <= len(names) <= 4 or any(n in NOT_NAMES for n in names):
        return None
    if any(len(n) == 4 and n[:2] not in COMPOUND_SURNAMES for n in names):
        return None
    return tuple(names), sum(map(_is_surname, names))


#: Role words of a credit line: ``记者 张三 通讯员 李四 王五``, ``本报记者 张三``, ``文 / 汪株燚``.
ROLE_WORDS = (
    "本报记者 本报通讯员 特约记者 见习记者 实习记者 首席记者 记者 通讯员 实习生 特约撰稿 撰稿 "
    "文字 文 图 摄影 摄像 责任编辑 编辑 美编 校对 审核 审稿 监制 策划 统筹 整理 制图"
).split()
_ROLE_RE = re.compile(r"(?:%s)(?:\s*[/／:：]\s*|\s+)" % "|".join(ROLE_WORDS))


#: The longest credit line (``role_byline``; ``byline_names`` takes at most 24 characters): a
#: longer line is no credit.
MAX_CREDIT = 60


def role_byline(s: str) -> tuple[str, ...] | None:
    """Names of a credit line that opens with a role word: ``本报记者 石骁建 通讯员 郝芳玉 魏飞``
    → (石骁建, 郝芳玉, 魏飞); ``文 / 汪株燚`` → (汪株燚,). None if the line is anything else (a
    caption credit ``王佳萱 摄`` ends with its role; ``记者从柯桥区市场监管局获悉`` is a sentence)."""
    if len(s) > MAX_CREDIT or not _ROLE_RE.match(s):
        return None
    names: list[str] = []
    for part in _ROLE_RE.split(s):
        found = byline_names(part) if part.strip() else None
        if part.strip() and found is None:
            return None
        if found:
            names.extend(found[0])
    return tuple(names) or None


#: How a credit line opens: a name (its first word, 1–4 name characters) or a role word. One
#: test that most lines fail, before the two that find the names.
_CREDIT_OPEN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff·]{1,4}(?:\s|$)|" + _ROLE_RE.pattern)


def credit_of(s: str) -> tuple[tuple[str, ...], int] | None:
    """(names, how many count as names) of a byline line, plain (``汪燕鸣 王佳萱``) or with role
    words (``记者 周萍海 通讯员 姚琪悦``: every name counts, the role says they are people)."""
    if not _CREDIT_OPEN_RE.match(s.lstrip()):
        return None
    found = byline_names(s)
    if found:
        return found
    names = role_byline(s)
    return (names, len(names)) if names else None


# ---------------------------------------------------------------- title-like lines

_HAN_RUN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
MD_H1 = re.compile(r"#[ \t]+(\S.*?)(?:[ \t]+#+)?")
_TITLE_BAD_END = frozenset("。，、；;,：:…")


def han_count(s: str) -> int:
    return sum(map(len, _HAN_RUN_RE.findall(s)))  # runs, not one str per character


def is_title_line(s: str) -> bool:
    """Short, no sentence-ending punctuation, some Han characters, not a byline or credit."""
    if not (
        2 <= len(s) <= 64
        and s[-1] not in _TITLE_BAD_END
        and han_count(s) >= 2
        and not s.startswith("#")
        and not s.endswith("摄")
    ):
        return False
    if role_byline(s):
        return False
    found = byline_names(s)
    return found is None or 2 * found[1] < len(found[0])


def balanced(s: str) -> bool:
    """Quotes and brackets close on the line: a line ending inside 《…》 or “…” is a wrap."""
    if not _BRACKET_RE.search(s):
        return True  # (most lines: no bracket to count)
    return all(s.count(a) == s.count(b) for a, b in ("《》", "“”", "（）", "()", "「」"))


_BRACKET_RE = re.compile(r"[《》“”（）()「」]")


def is_unit_line(s: str) -> bool:
    """``国网台州市黄岩区供电公司:`` — the unit an article is about, printed above its title."""
    return 3 <= len(s) <= 30 and s[-1] in ":：" and han_count(s) >= 2 and not any(c in s for c in "。，；,;")
