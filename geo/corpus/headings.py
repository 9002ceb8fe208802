"""Line shapes of magazine text extracted from PDF: headings, labels, credits, page furniture.

Every printed line is its own paragraph (blank lines between), a line starting with whitespace
begins a new text box, and headline blocks are short lines joined by a single newline
(``我国 6G 技术\\n专利申请量全球第一``). This module decides, line by line, what is a heading and
groups headings into title blocks; :mod:`geo.corpus.magazine` decides which blocks start articles.
"""

from __future__ import annotations

import re
from itertools import accumulate

from geo.corpus.lines import NAME_TOKEN, NOT_NAMES, Line, balanced, byline_names, han_count, role_byline

MAX_GROUP = 4  # lines a title may have (label, title, subtitle …)
LIST_RUN = 6  # more heading-shaped lines in a row than this are a list, not titles
COLUMN_MARGIN = 8  # display columns a lone heading's width differs from the columns around it
RESTATED = 0.7  # share of a lone line's word pairs its neighbours repeat to make it a headline

_ROLE = r"(?:文|记者|通讯员|整理|摄影|摄|图|编辑)\s*[/／]"
CREDIT_RE = re.compile(_ROLE + r"|^[［\[]\s*整理|^■")
_ROLE_TOKEN_RE = re.compile(r"\S*" + _ROLE)
_KICKER_RE = re.compile(
    r"[\[［【〔]\s*[^\]］】〕]{1,10}\s*[\]］】〕]"  # [ 新闻链接 ] 【延伸阅读】
    r"|[·•]\s*\S{2,8}\s*[·•]"  # ·项目掠影·
    r"|[◆◇●■▲◎]\s*\S.{0,14}"  # ◆ 4 月 16 日
    r"|[\u4e00-\u9fff]{2,6}"  # 历史钩沉 编者按
    r"|.{2,12}\s*[:：]"
)  # 下沙街道：
#: A kicker that is a date: the item under it is a dated piece of news (``◆ 4 月 16 日``).
DATED_KICKER_RE = re.compile(r"[◆◇●■▲◎]?\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
#: A label naming a place (``下沙街道：``, ``贵阳高新区``, ``北京怀柔科学城：``): a profile or a box.
#: Without a colon only a division or zone suffix counts (``建设钱塘科学城`` is a heading).
_DIVISION = r"(?:省|市|区|县|镇|乡|街道|新区|开发区|高新区)"
PLACE_LABEL_RE = re.compile(
    rf"[^\s，,。；：:]{{1,12}}(?:{_DIVISION}|科学城|科技城|园区|小镇|村|社区)\s*[:：]|[^\s，,。；：:]{{1,8}}{_DIVISION}"
)
#: Photo captions (``艮山东路隧道效果图``) and numbered list items (``1. …``, ``（一）…``) are not headings.
_NOT_HEADING_RE = re.compile(
    r".{2,24}(?:效果图|鸟瞰图|规划图|示意图|全景图|平面图|实景图|航拍图|全貌|摄)|(?:\d{1,2}\s*[.．、]|（[一二三四五六七八九十]{1,2}）).*"
)
_PUNCT_RE = re.compile(r"[，、,。；：]")
#: ``平阳鳌江镇新明村：集成电路产业链上谋新篇``: a place, a colon, a headline — no other punctuation.
_ONE_COLON_RE = re.compile(r"[^，、,。；：:]{2,16}[：:][^，、,。；：:]{2,}")
_BULLET_RE = re.compile(r"[◆◇●■▲◎]")
SENTENCE_END = frozenset("。！？!?”」』）)…")
_BAD_END = frozenset("，、；;,。．：:")
#: Page furniture: page numbers, running heads in Latin capitals (``NFORMATION``, ``企业之星
#: HANGZHOU QIANTANG``), the single characters of a caption set vertically (``义`` ``蓬`` ``夜`` ``景``).
_FURNITURE_RE = re.compile(r"\S{1,2}|[\d\s]+|(?:[\u4e00-\u9fff]{2,8}\s+)?[A-Z][A-Z\s]{3,}")
#: A photo credit: ``王佳萱 摄``, ``摄`` on a line of its own, ``建德市航头镇供图``.
_PHOTO_CREDIT_RE = re.compile(r"(?:\S{1,12}\s*)?(?:摄|供图)|[(（](?:本版)?图片由.*提供[)）]")
_CONTINUES_RE = re.compile(r".?[。，；、！？：]")
_HAN_PAIR_RE = re.compile(r"(?=([\u4e00-\u9fff]{2}))")


def display_width(s: str) -> int:
    """Printed width: Han, full-width forms and CJK quotes (3 UTF-8 bytes) count two columns,
    ASCII one — computed from the UTF-8 length, without a Python loop over characters."""
    return (len(s.encode("utf-8")) + len(s)) // 2


def han_pairs(s: str) -> set[str]:
    """The Han character pairs of a text: ``钱塘科学城`` → 钱塘, 塘科, 科学, 学城."""
    return set(_HAN_PAIR_RE.findall(s))


def heading_shaped(s: str) -> bool:
    if not 3 <= len(s) <= 40 or s[-1] in _BAD_END or "/" in s or "／" in s or s[0] in "［[■":
        return False
    inner = s[:-1]
    if "。" in inner or "；" in inner or sum(map(inner.count, "，、,")) > 2:
        return False  # (the cheap tests first: most lines of text fail here)
    if _NOT_HEADING_RE.fullmatch(s):
        return False
    h = han_count(s)
    return h >= 2 and h * 3 >= len(s.replace(" ", ""))


def is_credit(s: str) -> bool:
    """A credit line: ``文 / 汪株燚``, ``［整理  王心怡］``, ``■ … 吴锋民``,
    ``本报记者 谭博悦 通讯员 范悦``."""
    slash = "/" in s or "／" in s or s[:1] in "［[■"  # what every CREDIT_RE match holds
    return bool(slash and CREDIT_RE.search(s)) or role_byline(s) is not None


def credit_names(s: str) -> tuple[str, ...]:
    """Names in a credit line: ``文 / 汪株燚  通讯员 / 姜慧君 刘龙龙`` → (汪株燚, 姜慧君, 刘龙龙)."""
    names = role_byline(s)
    if names:
        return names
    s = _ROLE_TOKEN_RE.sub(" ", s)
    s = re.sub(r"[［］\[\]■/／:：、，,（）()]", " ", s)
    return tuple(t for t in s.split() if 2 <= len(t) <= 4 and NAME_TOKEN.fullmatch(t) and t not in NOT_NAMES)


def name_line(s: str) -> tuple[str, ...]:
    """The names of a line made only of personal names (a byline without a role word)."""
    found = byline_names(s)
    return found[0] if found and 2 * found[1] >= len(found[0]) else ()


def title_prefix(s: str) -> str:
    """``“慈善十大工程”暖人心文 / 汪株燚`` → ``“慈善十大工程”暖人心``: a title glued to its credit."""
    m = re.search(r"文\s*[/／]", s)
    if not m or m.start() == 0:
        return ""
    prefix = s[: m.start()].rstrip()
    return prefix if han_count(prefix) >= 2 and prefix[-1] not in _BAD_END else ""


def is_place_label(s: str) -> bool:
    """A line naming a place, alone (``贵阳高新区``, ``下沙街道：``) or ahead of its headline
    (``平阳鳌江镇新明村：集成电路产业链上谋新篇``)."""
    s = s.strip()
    if PLACE_LABEL_RE.fullmatch(s):
        return True
    m = PLACE_LABEL_RE.match(s)
    return bool(m and m.group(0).rstrip()[-1] in ":：")


class Features:
    """Per-line shape flags, computed once (one pass of cheap string tests per line)."""

    def __init__(self, lines: list[Line]):
        self.lines = lines
        self.credit = [is_credit(ln.text) for ln in lines]
        self.kicker = [
            len(ln.text) <= 20 and not c and bool(_KICKER_RE.fullmatch(ln.text))
            for ln, c in zip(lines, self.credit)
        ]
        self.furniture = [
            not k and bool(_FURNITURE_RE.fullmatch(ln.text)) for ln, k in zip(lines, self.kicker)
        ]
        # (a photo credit ends in 摄, 供图 or a bracket: the regex only for lines that do)
        photo = [ln.text[-1] in "摄图)）" and bool(_PHOTO_CREDIT_RE.fullmatch(ln.text)) for ln in lines]
        #: a caption, or the text a photo interrupts: a photo credit follows within three lines
        self.caption = [any(photo[i + 1 : i + 4]) for i in range(len(lines))]
        self.shaped = [
            not (k or fu or cap or c) and heading_shaped(ln.text) and not name_line(ln.text)
            for ln, k, fu, cap, c in zip(lines, self.kicker, self.furniture, self.caption, self.credit)
        ]
        self.width = [display_width(ln.text) for ln in lines]
        self.punct = [bool(_PUNCT_RE.search(ln.text)) for ln in lines]
        self.closing = [False] * len(lines)  # set by headings(): a title printed under its text
        #: characters of the lines before line i that are not credits (text a title owns)
        self.text_before = [0, *accumulate(0 if c else len(ln.text) for ln, c in zip(lines, self.credit))]
        self.bodyish = [
            len(ln.text) >= 8 and not (k or c) and (p or not sh)
            for ln, sh, k, c, p in zip(lines, self.shaped, self.kicker, self.credit, self.punct)
        ]

    def column_widths(self, i: int) -> list[int]:
        """Typical width of the body lines before and after line i (one figure per side found).

        Interleaved columns make the two sides differ; a heading differs from both, a paragraph's
        first line matches the column it belongs to.
        """
        sides = []
        for rng in (range(i - 1, max(i - 13, -1), -1), range(i + 1, min(i + 13, len(self.lines)))):
            found = [self.width[j] for j in rng if self.bodyish[j]][:5]
            if len(found) >= 2:
                found.sort()
                sides.append(found[-1])  # the full column: paragraphs end in shorter lines
        return sides

    def restated(self, i: int) -> int:
        """Line i is a headline its neighbours repeat: a lead that restates it, beginning with the
        same subject (``国务院公布修订后的《企业名称登记管理规定》`` / ``国务院日前公布修订后的…``),
        or a title printed under its text (``年度十大科学发现，“中国天眼”有功劳``) — narrower than
        the column, where a paragraph's first line is as wide as its column. 1: restated by the
        lead, -1: by the text above (the line ends a title block), 0: neither."""
        s = self.lines[i].text
        pairs = han_pairs(s)
        if len(pairs) < 6:
            return 0
        need = RESTATED * len(pairs)
        nxt = self.lines[i + 1].text if i + 1 < len(self.lines) else ""
        # (a pair of Han characters is one of a text's pairs when the text holds it: counted so)
        if nxt[:2] == s[:2]:
            after = "".join(ln.text for ln in self.lines[i + 1 : i + 3])[:80]
            if sum(p in after for p in pairs) >= need:
                return 1
        before = "".join(ln.text for ln in self.lines[max(0, i - 10) : i])[-320:]
        narrow = all(col - self.width[i] >= COLUMN_MARGIN for col in self.column_widths(i))
        return -1 if narrow and sum(p in before for p in pairs) >= need else 0


def headings(f: Features) -> list[bool]:
    """Which lines are headings (rules 2a–2e in :mod:`geo.corpus.magazine`); sets ``f.closing``
    for headings printed under their text (a title block ends there)."""
    lines, shaped = f.lines, f.shaped
    n = len(lines)
    head = [False] * n
    f.closing = [False] * n
    for i, ln in enumerate(lines):
        if not shaped[i]:
            continue
        nxt_joined = i + 1 < n and lines[i + 1].joined
        box_body = ln.indented and f.punct[i]  # first line of a text box, not a title
        if (ln.joined and i > 0 and (shaped[i - 1] or f.kicker[i - 1]) and not box_body) or (
            nxt_joined and (shaped[i + 1] or f.kicker[i + 1] or f.credit[i + 1] or lines[i + 1].indented)
        ):
            head[i] = True  # 2a: a headline block
            continue
        if not balanced(ln.text):
            continue
        prev_ok = (
            i == 0
            or ln.indented
            or head[i - 1]
            or f.credit[i - 1]
            or f.furniture[i - 1]
            or lines[i - 1].text[-1] in SENTENCE_END
        )
        if f.punct[i] and not _ONE_COLON_RE.fullmatch(ln.text):
            if prev_ok and ln.text.count("，") == 1 and sum(map(ln.text.count, "、,。；：")) == 0:
                r = f.restated(i)  # 2d with a comma
                head[i], f.closing[i] = r != 0, r < 0
            continue
        if i > 0 and f.kicker[i - 1] and not _BULLET_RE.match(lines[i - 1].text):
            head[i] = True  # 2b: under a label
            continue
        if not prev_ok or (i + 1 < n and _CONTINUES_RE.match(lines[i + 1].text)):
            continue  # the next line finishes this one's word or sentence (最好方 / 法。…)
        w = f.width[i]
        if i + 1 < n and shaped[i + 1] and abs(w - f.width[i + 1]) <= 1 and w >= 16:
            continue  # as wide as the next line: a narrow column
        nxt = f.width[i + 1] if i + 1 < n and f.bodyish[i + 1] else None
        if all(abs(w - col) >= COLUMN_MARGIN for col in f.column_widths(i)) and (
            nxt is None or abs(w - nxt) >= COLUMN_MARGIN
        ):
            head[i] = True  # 2c: a lone heading
            # … printed under its text, unless the next line goes on (… 零部件 / 的“隐形冠军”)
            f.closing[i] = f.restated(i) < 0 and not (i + 1 < n and lines[i + 1].text[0] in "的之与和及、")
        elif r := f.restated(i):
            head[i], f.closing[i] = True, r < 0  # 2d: restated by its lead or its text
    _parallel(f, head)
    for i, ln in enumerate(lines):  # labels set inside a headline block
        if (
            f.kicker[i]
            and not head[i]
            and (
                (ln.joined and i > 0 and (head[i - 1] or f.kicker[i - 1]))
                or (i + 1 < n and lines[i + 1].joined and (head[i + 1] or f.kicker[i + 1]))
            )
        ):
            head[i] = True
    return head


def _parallel(f: Features, head: list[bool]) -> None:
    """2e: lines opening with the same four characters as a heading near it, standing alone
    after a finished sentence, are its parallel headings (``千方百计建设大项目`` … ``千方百计展钱塘作为``)."""
    lines = f.lines
    for h in [i for i, x in enumerate(head) if x and len(lines[i].text) >= 6]:
        key = lines[h].text[:4]
        for i in range(max(1, h - 40), min(len(lines), h + 41)):
            s = lines[i].text
            if (
                not head[i]
                and s.startswith(key)
                and f.shaped[i]
                and not f.punct[i]
                and abs(len(s) - len(lines[h].text)) <= 3
                and (lines[i].indented or lines[i - 1].text[-1] in SENTENCE_END)
            ):
                head[i] = True


def title_groups(f: Features, head: list[bool]) -> list[tuple[int, int]]:
    """(first, last) line index of each title block, leading labels included, lists dropped.

    A run of heading lines splits where a new text box starts (an indented heading) and after a
    title printed under its text (``年度十大科学发现，“中国天眼”有功劳`` / ``银保监会出台…``).
    """
    groups: list[tuple[int, int]] = []
    lines = f.lines
    n = len(lines)
    i = 0
    while i < n:
        if not (head[i] or f.kicker[i]):
            i += 1
            continue
        j = i
        while j + 1 < n and (head[j + 1] or f.kicker[j + 1]):
            j += 1
        pieces: list[list[int]] = [[i]]
        for x in range(i + 1, j + 1):
            has_title = any(head[y] and not f.kicker[y] for y in pieces[-1])
            if has_title and ((lines[x].indented and head[x]) or f.closing[x - 1]):
                pieces.append([x])
            else:
                pieces[-1].append(x)
        for p in pieces:
            while p and not head[p[-1]]:  # kickers only lead
                p.pop()
            if p and len(p) <= MAX_GROUP and _shaped_run(f, p[0]) <= LIST_RUN:
                groups.append((p[0], p[-1]))
        i = j + 1
    return groups


def _shaped_run(f: Features, i: int) -> int:
    """How many heading-shaped or label lines in a row surround line i (a list when many)."""

    def shape(k: int) -> bool:
        return (f.shaped[k] and not f.punct[k]) or f.kicker[k]

    a = i
    while a > 0 and shape(a - 1):
        a -= 1
    b = i
    while b + 1 < len(f.lines) and shape(b + 1):
        b += 1
    return b - a + 1
