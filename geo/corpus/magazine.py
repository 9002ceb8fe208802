"""Layout 3: a magazine issue extracted from PDF (seed 004) — articles, their sections and titles
printed out of reading order.

Line shapes (headings, labels, credits, page furniture) are found by :mod:`geo.corpus.headings`:

1. **Heading-shaped lines**: 3–40 chars, at least a third Han, no 。/； and at most two ，/、
   inside, not ending in ，、；。：, no credit (``文 /``). **Labels** (kickers) are short lines
   set above headlines: ``[ 新闻链接 ]``, ``·项目掠影·``, ``◆ 4 月 16 日``, 2–6 Han characters
   (``历史钩沉``, ``洛阳高新区``), ``下沙街道：``. **Page furniture**: page numbers, running heads in
   capitals (``NFORMATION``), a caption set vertically one character a line (``义 蓬 夜 景``).
   Photo captions (a photo credit ``王佳萱 摄`` within three lines, ``…效果图``), numbered list items
   and name lines are never headings.
2. A heading-shaped line **is a heading** when
   a. it is joined (single newline) to another heading-shaped line or label, or sits directly on
      top of a new text box or a credit line — a headline block; or
   b. it comes right under a label that is not a ``◎``/``◆`` bullet; or
   c. it stands alone after a finished sentence, without punctuation (one colon allowed:
      ``平阳鳌江镇新明村：集成电路产业链上谋新篇``), the next line does not finish its word
      (``…最好方`` / ``法。``), and its printed width differs by four Han characters or more from
      the body column around it (a paragraph's first line is only its indent shorter); or
   d. it stands alone after a finished sentence and the lines around it repeat it: a lead that
      restates its headline (``国务院公布修订后的《企业名称登记管理规定》`` / ``国务院日前公布修订
      后的…``) or a title printed under its text (``年度十大科学发现，“中国天眼”有功劳``); or
   e. it opens with the same four characters as a heading near it and stands alone — parallel
      headings (``千方百计建设大项目`` … ``千方百计展钱塘作为``).
3. **Title blocks**: consecutive headings with the labels above them (at most 4 lines; a run of
   more than 6 heading-shaped lines is a list). A new text box starts a new title, and a title
   printed under its text ends one (``年度十大科学发现…`` / ``银保监会出台…``: two titles).
   Credits right after a title (``文 / 汪株燚 通讯员 / 姜慧君 刘龙龙``, ``■ … 吴锋民``, plain names),
   else directly above it, at the start of its text or in its first lines
   (title, lead, ``文 / 王心怡 通讯员 / 喻萍萍``), give the byline. A label opening a text box with
   no headline under it names a box of its own (``钱塘天际线`` over its ``◎`` items).

Then, here:

4. **Text to titles** (:mod:`geo.corpus.affinity`): the text between two titles is cut once, by
   the words it shares with each. So a brief whose title the PDF printed after its text starts at
   its first paragraph (``◆ 4 月 21 日 杭州医药港“上新” 和达药谷五期项目开工建设`` comes after the
   和达药谷 story), a lead or standfirst above a title joins it (``位于大创小镇的杭州国际创博中心
   千人会场，…`` above ``文 / 李如艳 …`` and ``这座位于杭州东部的科学城值得期待``), and a box whose
   title sits in its middle stays whole (``[ 新闻链接 ] 河庄街道位于钱塘江的南岸 … 河庄街道：
   现代化田园新城 …``). A title left with fewer than 60 characters of text is not a title.
5. **Article or section.** A title starts an article when the layout marks it as a piece of its
   own: a byline (``文 / 李如艳``); a rubric label under it (``杭州区划调整落地 / 千年古都呈现新格局 /
   权威解读``); a first line naming a place (``贵阳高新区``, ``下沙街道：``, ``北京怀柔科学城：`` — a
   profile or a box); a dated label (``◆ 4 月 16 日``); a text box opening after page furniture
   (``义 蓬 夜 景`` / ``上市不仅是企业做大做强的途径…`` → ``三家企业相继上市``); outside a feature,
   a title printed after its text (a brief); after a box, a title opening a new text box
   (``世界冠军助力 百人排舞表演`` after the ``[ 新闻链接 ] 下沙街道：`` box). An item of a ``◎``/``●``
   list is never an article. Otherwise it is a
   **section** of the article it sits in when that article is a feature (it has a byline or a
   rubric: ``历史钩沉 豁然打开的发展局面`` in 杭州区划调整落地) or a profile whose sections do not
   open a new text box (``利用大数据新优势 带动实体经济发展`` in 贵阳高新区); under anything else
   (a run of briefs) every title is an article. A section heading never starts an article.
6. Text before the first title (cover, editorial) is an untitled article. An article whose title
   was printed after its text starts at its first paragraph, so its text does not begin with its
   title; otherwise it starts at its first line (label, credit, standfirst or title).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.corpus.affinity import Affinity, Marks
from geo.corpus.headings import (
    DATED_KICKER_RE,
    SENTENCE_END,
    Features,
    credit_names,
    headings,
    is_place_label,
    name_line,
    title_groups,
    title_prefix,
)
from geo.corpus.lines import ArticleSpan, Line

MIN_BODY = 60  # characters of text a title needs to be a title
LEAD_LINES = 6  # lines under a title in which a credit still gives its byline (title, lead, credit)


@dataclass
class _Title:
    first: int  # first line of the title block (labels included)
    last: int  # last line of the title block
    title: str
    byline: tuple[str, ...]
    body: int  # first line after the title block, its credits and its rubric
    rubric: bool = False  # a label printed under the title (权威解读)
    place: bool = False  # the block names a place (贵阳高新区, 下沙街道：)
    dated: bool = False  # a dated label (◆ 4 月 16 日)
    item: bool = False  # an item of a list (◎东部湾总部大楼): a section, never an article
    start: int = -1  # first line of the text it owns (before ``first`` when printed late)
    end: int = -1  # line after the last one it owns

    @property
    def strong(self) -> bool:
        return bool(self.byline) or self.rubric


def _titles(f: Features, head: list[bool]) -> list[_Title]:
    lines, n = f.lines, len(f.lines)
    out = []
    in_group = [False] * n
    for a, b in title_groups(f, head):
        in_group[a : b + 1] = [True] * (b + 1 - a)
        if a == b and f.kicker[a]:
            continue  # a lone label (·专家言论·) is a rubric over text, not a title
        parts = [lines[x].text for x in range(a, b + 1)]
        byline: tuple[str, ...] = ()
        body = b + 1
        while body < n and (f.credit[body] or name_line(lines[body].text)):
            text = lines[body].text
            if f.credit[body]:
                prefix = title_prefix(text) if body == b + 1 else ""
                if prefix:
                    parts.append(prefix)
                byline += credit_names(text)
            else:
                byline += name_line(text)
            body += 1
        if not byline:  # credits printed above the title: the article starts with them
            c = a
            while c > 0 and f.credit[c - 1]:
                c -= 1
            byline = tuple(x for y in range(c, a) for x in credit_names(lines[y].text))
            a = c if byline else a
        rubric = (
            body == b + 1 and body < n and f.kicker[body] and bool(_RUBRIC_RE.fullmatch(lines[body].text))
        )
        body += rubric
        heads = [x for x in range(a, b + 1) if f.kicker[x] or not x > a]
        out.append(
            _Title(
                a,
                b,
                " ".join(parts),
                byline,
                body,
                rubric=rubric,
                place=any(is_place_label(lines[x].text) for x in heads),
                dated=any(DATED_KICKER_RE.match(lines[x].text) for x in range(a, b + 1)),
                item=_bullet(lines[a].text),
            )
        )
    for i, ln in enumerate(lines):  # a label opening a box of ◎ items: 钱塘天际线
        if f.kicker[i] and ln.indented and not in_group[i] and i + 1 < n and _bullet(lines[i + 1].text):
            out.append(_Title(i, i, ln.text, (), i + 1, place=True))
    out.sort(key=lambda t: t.first)
    return out


def _marks(f: Features) -> Marks:
    """Lines where a piece of text can begin (:class:`~geo.corpus.affinity.Marks`)."""
    lines = f.lines
    rng = range(1, len(lines))
    page = [bool(_PAGE_CREDIT_RE.match(ln.text)) for ln in lines]
    return Marks(
        strong=[
            i
            for i in rng
            if not page[i]  # who compiled the page belongs to no piece of text
            and (
                lines[i].indented
                or f.kicker[i]
                or (f.furniture[i - 1] and not f.furniture[i])
                or (f.credit[i - 1] and (page[i - 1] or not lines[i - 1].indented))  # closing the text above
            )
        ],
        para=[i for i in rng if lines[i - 1].text[-1] in SENTENCE_END],
        boxes=[i for i in rng if lines[i].indented and not page[i]],
        credit_boxes=[i for i in rng if lines[i].indented and f.credit[i] and not page[i]],
    )


def _claim(f: Features, aff: Affinity, titles: list[_Title], marks: Marks) -> None:
    """Set each title's ``start``/``end``: the text it owns around its block (rule 4)."""
    above: dict[str, float] = {}
    g0 = 0
    for k, t in enumerate(titles):
        weights = aff.weights(t.title)
        nxt = titles[k + 1].first if k + 1 < len(titles) else len(f.lines)
        under = range(t.body, min(nxt, t.body + LEAD_LINES * 2))
        a = titles[k - 1] if k else None
        a_late = a is not None and a.first - a.start > t.first - a.body  # more of A above A
        floor = g0
        if a is not None:  # leave A enough text to stay a title
            have = _chars(f, a.start, a.first)
            while floor < t.first and have < MIN_BODY:
                have += 0 if f.credit[floor] else len(f.lines[floor].text)
                floor += 1
        cut = aff.cut(above, weights, g0, t.first, marks, a_late, under, floor)
        if a is not None:
            a.end = cut
        t.start = min(cut, t.first)
        above, g0 = weights, t.body
    if titles:
        titles[-1].end = len(f.lines)


def _chars(f: Features, a: int, b: int) -> int:
    """Characters of lines [a, b) that are not credits."""
    return f.text_before[b] - f.text_before[a] if b > a else 0


def _late(f: Features, t: _Title) -> bool:
    """The title was printed after (most of) its text."""
    return _chars(f, t.start, t.first) > _chars(f, t.body, t.end)


def split_magazine(lines: list[Line]) -> list[ArticleSpan]:
    f = Features(lines)
    head = headings(f)
    titles = _titles(f, head)
    aff = Affinity([ln.text for ln in lines])
    marks = _marks(f)
    for _ in range(4):  # titles without text are not titles; their text goes to the others
        _claim(f, aff, titles, marks)
        keep = [t for t in titles if _chars(f, t.start, t.first) + _chars(f, t.body, t.end) >= MIN_BODY]
        if len(keep) == len(titles):
            break
        titles = keep
    n = len(lines)
    spans: list[ArticleSpan] = []
    first_start = titles[0].start if titles else n
    if first_start > 0:  # cover, editorial: text before the first title
        spans.append(ArticleSpan(lines[0].start, lines[first_start - 1].end, "", (), lines[0].start))
    kind = "briefs"  # what the open article is: briefs | feature | box
    for t in titles:
        byline = t.byline or _lead_credits(f, t)
        late = _late(f, t)
        furniture_box = (
            t.start > 1 and lines[t.start].indented and f.furniture[t.start - 1] and f.furniture[t.start - 2]
        )
        article = (
            not spans
            or t.dated
            or (
                not t.item
                and (
                    bool(byline)
                    or furniture_box
                    or (late and kind != "feature")  # a brief or a box printed after its text
                    or t.rubric
                    or t.place
                    or kind == "briefs"
                    or (kind == "box" and lines[t.start].indented)
                )
            )
        )
        if article:
            body = t.start if late or t.body >= t.end else t.body
            spans.append(
                ArticleSpan(lines[t.start].start, lines[t.end - 1].end, t.title, byline, lines[body].start)
            )
            kind = "feature" if byline or t.rubric else "box" if (t.place or t.dated) else "briefs"
        else:
            last = spans[-1]
            section = (t.title, lines[t.start].start)
            spans[-1] = last._replace(end=lines[t.end - 1].end, sections=(*last.sections, section))
    return spans


#: A bare label under a headline (``权威解读``): the rubric of a piece of its own.
_RUBRIC_RE = re.compile(r"[\u4e00-\u9fff]{2,6}")
#: ``［整理  王心怡］`` away from any title: who compiled a page of briefs, not an article's byline.
_PAGE_CREDIT_RE = re.compile(r"[［\[]\s*整理")


def _bullet(s: str) -> bool:
    return s[:1] in "◎●◆◇▲■"


def _lead_credits(f: Features, t: _Title) -> tuple[str, ...]:
    """Names in credit lines at the start of a title's text or in its first lines (title, lead,
    credit): ``文 / 王心怡 通讯员 / 喻萍萍`` under ``“腾笼换鸟”实现政企双赢`` and its lead."""
    found: tuple[str, ...] = ()
    for x in [*range(t.start, t.first), *range(t.body, min(t.end, t.body + LEAD_LINES))]:
        if f.credit[x] and not _PAGE_CREDIT_RE.match(f.lines[x].text):
            found += credit_names(f.lines[x].text)
    return found
