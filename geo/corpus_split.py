"""Split one decoded document into article spans: the news-page layouts and the dispatcher.

Works on lines found by one regex pass (no per-character Python loops); every offset is a str
index into the document text exactly as decoded, so ``text[span.start:span.end]`` is the article.

Layouts (``split_text`` picks one per document):

1. **Markdown** — a line ``# title`` (one ``#`` and a space) starts an article; ``## sub`` never
   does. The article starts at the title text itself (after ``# ``), so ``text[start:]`` begins
   with the title. A ``## kicker`` sitting just above the next ``# title`` stays in the article
   before it (we do not guess which article a stray subheading belongs to).
2. **Plain news pages** (also applied inside markdown documents) — a *byline line* of 1–4
   personal names separated by spaces (``汪燕鸣 王佳萱``) whose previous non-blank line looks like a
   title (short, no sentence-ending punctuation): that title line starts an article. A line just
   above the title ending in ``:``/``：`` (``国网台州市黄岩区供电公司:``) is the unit the article is
   about and joins the title (``"国网台州市黄岩区供电公司: 节能作战再升级 低碳生活有补贴"``); the article
   then starts at that unit line. A byline line of ≥ 2 names with common surnames that follows
   body text (a page whose headline was lost, 000's ``孙金良 王凯``) starts an untitled article
   (``title == ""``) at the byline. Photo captions and credits (``王佳萱 摄``) are never bylines
   and stay in the article they sit in.
   Names: a name is 2–3 Han characters (4 with a compound surname); newspapers pad two-character
   names with a space (``叶 蕾``), so two single characters in a row are one name and are
   normalised to ``叶蕾``. A name counts as a name when its surname is one of the 百家姓 below;
   after a title line at least half the names must qualify (``候晨捷 杨烁`` passes).
3. **Magazine pages extracted from PDF** — see ``geo.corpus_magazine``.

Anything else (or a news page without titles and bylines) is one article whose title is its
first line when that line looks like a title. Non-blank text before the first article start is
an untitled article of its own. Articles end at the last non-blank character before the next
article starts; the blank lines between them belong to neither.

Titles made of several lines are joined with single spaces; ``text[start:]`` then begins with the
title once whitespace is ignored (``squash``). A one-line title is an exact prefix.
"""
from __future__ import annotations

import re
from typing import NamedTuple


class Line(NamedTuple):
    """One non-blank line; ``start``/``end`` bracket its text without surrounding whitespace."""
    start: int
    end: int
    text: str
    indented: bool   # the raw line began with whitespace (a new text box in PDF extractions)
    joined: bool     # the previous non-blank line is directly above it (no blank line between)


class ArticleSpan(NamedTuple):
    start: int
    end: int
    title: str
    byline: tuple[str, ...]
    body_start: int


_LINE_RE = re.compile(r"^([^\S\n]*)(\S(?:[^\n]*\S)?)[^\S\n]*$", re.M)
_WS_RE = re.compile(r"\s+")


def scan_lines(text: str) -> list[Line]:
    """Every non-blank line with exact offsets; CR of CRLF endings is treated as whitespace."""
    lines: list[Line] = []
    prev_end = -1
    count = text.count
    for m in _LINE_RE.finditer(text):
        s, e = m.span(2)
        joined = prev_end >= 0 and count("\n", prev_end, s) == 1
        lines.append(Line(s, e, m.group(2), bool(m.group(1)), joined))
        prev_end = e
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
    "仉督晋楚闫法汝鄢涂钦归海岳帅缑亢况有琴商牟佘佴伯赏墨哈谯笪年爱阳佟言福")
COMPOUND_SURNAMES = frozenset(
    "万俟 司马 上官 欧阳 夏侯 诸葛 闻人 东方 赫连 皇甫 尉迟 公羊 澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 "
    "公孙 仲孙 轩辕 令狐 钟离 宇文 长孙 慕容 鲜于 闾丘 司徒 司空 端木 南宫 西门 呼延 百里 东郭 第五".split())
#: Words that look like names in a credit line but are roles (``王佳萱 摄影``).
_NOT_NAMES = frozenset("摄影 供图 图片 记者 通讯员 编辑 整理 作者 本报 来源 制图 文字".split())
_NAME_TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff·]{1,4}")


def _is_surname(name: str) -> bool:
    return name[0] in SURNAMES or name[:2] in COMPOUND_SURNAMES


def byline_names(s: str) -> tuple[tuple[str, ...], int] | None:
    """(names, how many have a known surname) if the line is only 1–4 personal names, else None."""
    if len(s) > 24:
        return None
    tokens = s.split()
    if not tokens or not all(_NAME_TOKEN.fullmatch(t) for t in tokens):
        return None
    names: list[str] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if len(t) == 1:                       # "叶 蕾": a padded two-character name
            if i + 1 < len(tokens) and len(tokens[i + 1]) == 1:
                names.append(t + tokens[i + 1])
                i += 2
                continue
            return None                       # "王佳萱 摄": a photo credit, not a byline
        names.append(t)
        i += 1
    if not 1 <= len(names) <= 4 or any(n in _NOT_NAMES for n in names):
        return None
    if any(len(n) == 4 and n[:2] not in COMPOUND_SURNAMES for n in names):
        return None
    return tuple(names), sum(map(_is_surname, names))


# ---------------------------------------------------------------- title-like lines

_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_MD_H1 = re.compile(r"#[ \t]+(\S.*?)(?:[ \t]+#+)?")
_TITLE_BAD_END = frozenset("。，、；;,：:…")


def han_count(s: str) -> int:
    return len(_HAN_RE.findall(s))


def is_title_line(s: str) -> bool:
    """Short, no sentence-ending punctuation, some Han characters, not a byline or credit."""
    if not (2 <= len(s) <= 64 and s[-1] not in _TITLE_BAD_END and han_count(s) >= 2
            and not s.startswith("#") and not s.endswith("摄")):
        return False
    found = byline_names(s)
    return found is None or 2 * found[1] < len(found[0])


def is_unit_line(s: str) -> bool:
    """``国网台州市黄岩区供电公司:`` — the unit an article is about, printed above its title."""
    return (3 <= len(s) <= 30 and s[-1] in ":：" and han_count(s) >= 2
            and not any(c in s for c in "。，；,;"))


# ---------------------------------------------------------------- news pages (layouts 1 and 2)

class _Head(NamedTuple):
    first: int                 # index of the article's first line
    start: int                 # offset where the article starts
    title: str
    last: int                  # index of the last heading line (title or byline)
    byline: tuple[str, ...]


def split_news(lines: list[Line]) -> list[ArticleSpan]:
    """Markdown ``# `` headings and title+byline pairs; empty when the page has neither."""
    heads: dict[int, _Head] = {}
    for i, ln in enumerate(lines):
        m = _MD_H1.fullmatch(ln.text)
        if m:
            heads[i] = _Head(i, ln.start + m.start(1), m.group(1), i, ())
    byline_of: set[int] = set()
    for i, ln in enumerate(lines):
        found = byline_names(ln.text)
        if not found or i in heads:
            continue
        names, known = found
        p = i - 1
        if p >= 0 and p in heads and heads[p].last == p:          # "# title" then its byline
            heads[p] = heads[p]._replace(last=i, byline=names)
            byline_of.add(i)
        elif (p >= 0 and p not in byline_of and not lines[p].text.startswith("#")
              and is_title_line(lines[p].text) and 2 * known >= len(names)):
            first, title = p, lines[p].text
            if p - 1 >= 0 and p - 1 not in heads and is_unit_line(lines[p - 1].text):
                first, title = p - 1, f"{lines[p - 1].text} {title}"
            heads[first] = _Head(first, lines[first].start, title, i, names)
            byline_of.add(i)
        elif known == len(names) >= 2 and (p < 0 or not lines[p].text.startswith("#")):
            heads[i] = _Head(i, ln.start, "", i, names)                # headline lost
            byline_of.add(i)
    if not heads:
        return []
    order = sorted(heads.values())
    spans: list[ArticleSpan] = []
    if order[0].first > 0:                                           # text before the first title
        spans.append(ArticleSpan(lines[0].start, lines[order[0].first - 1].end, "", (),
                                 lines[0].start))
    for k, h in enumerate(order):
        nxt = order[k + 1].first if k + 1 < len(order) else len(lines)
        end = lines[nxt - 1].end
        body_start = lines[h.last + 1].start if h.last + 1 < nxt else end
        spans.append(ArticleSpan(h.start, end, h.title, h.byline, body_start))
    return spans


def whole_document(lines: list[Line]) -> list[ArticleSpan]:
    """One article: the first line is its title when it looks like one (and more text follows)."""
    if not lines:
        return []
    first = lines[0]
    if len(lines) > 1 and is_title_line(first.text):
        return [ArticleSpan(first.start, lines[-1].end, first.text, (), lines[1].start)]
    return [ArticleSpan(first.start, lines[-1].end, "", (), first.start)]


def looks_like_pdf(lines: list[Line]) -> bool:
    """Magazine text from PDF: many short lines (median ≤ 36 chars), no markdown headings."""
    if len(lines) < 40:
        return False
    lengths = sorted(len(ln.text) for ln in lines)
    if lengths[len(lengths) // 2] > 36:
        return False
    return not any(_MD_H1.fullmatch(ln.text) for ln in lines)


def split_text(text: str) -> list[ArticleSpan]:
    """Article spans of one document text (any layout); [] for empty or blank text."""
    lines = scan_lines(text)
    if not lines:
        return []
    if looks_like_pdf(lines):
        from geo.corpus_magazine import split_magazine

        return split_magazine(lines)
    return split_news(lines) or whole_document(lines)
