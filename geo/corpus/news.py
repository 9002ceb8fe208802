"""Split one decoded document into article spans: the news-page layouts and the dispatcher.

Works on lines found by one regex pass (no per-character Python loops); every offset is a str
index into the document text exactly as decoded, so ``text[span.start:span.end]`` is the article.

Layouts (``split_text`` picks one per document):

1. **Markdown** — a line ``# title`` (one ``#`` and a space) starts an article; ``## sub`` never
   does. The article starts at the title text itself (after ``# ``), so ``text[start:]`` begins
   with the title. A ``## kicker`` sitting just above the next ``# title`` stays in the article
   before it (we do not guess which article a stray subheading belongs to).
2. **Plain news pages** (also applied inside markdown documents) — a *byline line* of 1–4
   personal names separated by spaces (``汪燕鸣 王佳萱``), or names after role words (``记者 周萍海
   通讯员 姚琪悦``, ``本报记者 石骁建 通讯员 郝芳玉 魏飞``), whose previous non-blank line looks like a
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
3. **Magazine pages extracted from PDF** — see ``geo.corpus.magazine``.

4. **Sections** — inside an article, a markdown ``## heading`` (``## 聚力创新赋能 把握高质量发展
   主动权``), or on a plain page a short line of two to four phrases without punctuation standing
   between a finished sentence (or a photo credit) and a paragraph (``提升平台能级 培育特色产业群``),
   is a section heading; it never starts an article. A line broken mid-sentence is not one
   (``嘉兴衍视电子科技有限公司是一``, ``扎根于青山湖科技城的时空节拍(杭``), nor a photo caption,
   which sits above its credit (``湘家荡科创湖区`` / ``王佳萱 摄``).

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

from geo.corpus.lines import (
    MAX_CREDIT,
    MD_H1,
    ArticleSpan,
    Line,
    balanced,
    byline_names,
    credit_of,
    is_title_line,
    is_unit_line,
)

# ---------------------------------------------------------------- news pages (layouts 1 and 2)


class _Head(NamedTuple):
    first: int  # index of the article's first line
    start: int  # offset where the article starts
    title: str
    last: int  # index of the last heading line (title or byline)
    byline: tuple[str, ...]


def split_news(lines: list[Line]) -> list[ArticleSpan]:
    """Markdown ``# `` headings and title+byline pairs; empty when the page has neither."""
    heads: dict[int, _Head] = {}
    markdown = False  # a "# title" or "## sub" line: sections are the ## headings
    for i, ln in enumerate(lines):
        if ln.text[0] == "#":
            m = MD_H1.fullmatch(ln.text)
            if m:
                heads[i] = _Head(i, ln.start + m.start(1), m.group(1), i, ())
            markdown = markdown or bool(m) or ln.text.startswith("## ")
    byline_of: set[int] = set()
    for i, ln in enumerate(lines):
        if len(ln.text) > MAX_CREDIT:
            continue  # too long for a credit line
        found = credit_of(ln.text)
        if not found or i in heads:
            continue
        names, known = found
        p = i - 1
        if p >= 0 and p in heads and heads[p].last == p:  # "# title" then its byline
            heads[p] = heads[p]._replace(last=i, byline=names)
            byline_of.add(i)
        elif (
            p >= 0
            and p not in byline_of
            and not lines[p].text.startswith("#")
            and is_title_line(lines[p].text)
            and 2 * known >= len(names)
        ):
            first, title = p, lines[p].text
            if p - 1 >= 0 and p - 1 not in heads and is_unit_line(lines[p - 1].text):
                first, title = p - 1, f"{lines[p - 1].text} {title}"
            heads[first] = _Head(first, lines[first].start, title, i, names)
            byline_of.add(i)
        elif (
            known == len(names) >= 2
            and byline_names(ln.text)  # plain names: a role credit after the text (记者 … 编辑 …) ends it
            and (p < 0 or not lines[p].text.startswith("#"))
        ):
            heads[i] = _Head(i, ln.start, "", i, names)  # headline lost
            byline_of.add(i)
    if not heads:
        return []
    order = sorted(heads.values())
    spans: list[ArticleSpan] = []
    if order[0].first > 0:  # text before the first title
        spans.append(ArticleSpan(lines[0].start, lines[order[0].first - 1].end, "", (), lines[0].start))
    for k, h in enumerate(order):
        nxt = order[k + 1].first if k + 1 < len(order) else len(lines)
        end = lines[nxt - 1].end
        body_start = lines[h.last + 1].start if h.last + 1 < nxt else end
        sections = sections_in(lines, h.last + 1, nxt, markdown)
        spans.append(ArticleSpan(h.start, end, h.title, h.byline, body_start, sections))
    return spans


def whole_document(lines: list[Line]) -> list[ArticleSpan]:
    """One article: the first line is its title when it looks like one (and more text follows)."""
    if not lines:
        return []
    first = lines[0]
    markdown = any(ln.text.startswith("## ") for ln in lines)
    if len(lines) > 1 and is_title_line(first.text):
        sections = sections_in(lines, 1, len(lines), markdown)
        return [ArticleSpan(first.start, lines[-1].end, first.text, (), lines[1].start, sections)]
    sections = sections_in(lines, 0, len(lines), markdown)
    return [ArticleSpan(first.start, lines[-1].end, "", (), first.start, sections)]


# ---------------------------------------------------------------- sections

#: Two to four short phrases set apart by spaces: how section headings are written
#: (``提升平台能级 培育特色产业群``); a line broken mid-sentence has no such spaces.
_PHRASES_RE = re.compile(r"[^\s]{2,14}(?: [^\s]{2,14}){1,3}")
_PHRASES_MAX = 14 + 3 * 15  # the longest line _PHRASES_RE takes
_MD_H2 = re.compile(r"##[ \t]+(\S.*?)(?:[ \t]+#+)?")
_SENTENCE_END = frozenset("。！？!?”」』…")
#: Photo captions and their credits: a short line above ``王佳萱 摄`` or ``(图片由…提供)``.
_CAPTION_CREDIT_RE = re.compile(r".{1,12}\s*(?:摄|供图)|[(（](?:本版)?图片由.*提供[)）]")
_CAPTION_END_RE = re.compile(r".*(?:图|摄|全貌|现场|鸟瞰)$")


def sections_in(lines: list[Line], a: int, b: int, markdown: bool) -> tuple[tuple[str, int], ...]:
    """Section headings among lines [a, b) of an article (4 in the module docstring)."""
    out = []
    for i in range(a, b - 1):  # a heading needs text under it in the article
        ln = lines[i]
        s = ln.text
        if markdown:
            m = _MD_H2.fullmatch(s) if s[0] == "#" else None
            if m:
                out.append((m.group(1), ln.start + m.start(1)))
            continue
        if (
            i > a
            and (len(s) <= 12 or (len(s) <= _PHRASES_MAX and _PHRASES_RE.fullmatch(s)))
            and is_title_line(s)
            and balanced(s)
            and not any(c in s for c in "，。；、：:,")
            and not _CAPTION_END_RE.match(s)
            and (lines[i - 1].text[-1] in _SENTENCE_END or _CAPTION_CREDIT_RE.fullmatch(lines[i - 1].text))
            and len(lines[i + 1].text) >= 10
            and not _CAPTION_CREDIT_RE.fullmatch(lines[i + 1].text)
            and not credit_of(lines[i + 1].text)
        ):
            out.append((s, ln.start))
    return tuple(out)
