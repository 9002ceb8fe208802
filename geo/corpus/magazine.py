"""Layout 3: a magazine issue extracted from PDF (seed 004) — broken lines, interleaved columns.

In such text every printed line is its own paragraph (lines separated by blank lines), a line
starting with whitespace begins a new text box, headlines are short lines often set in blocks
of two or three lines joined by a single newline, and the reading order of boxes is the PDF's,
not the page's. The rules, applied in order:

1. **Heading-shaped lines**: 3–34 chars, at least a third Han, no 。/； and at most two ，/、
   inside, not ending in ，、；。：, no credit (``文 /``). **Labels** (kickers) are short lines
   set above headlines: ``[ 新闻链接 ]``, ``·项目掠影·``, ``◆ 4 月 16 日``, 2–6 Han characters
   (``历史钩沉``, ``洛阳高新区``), ``下沙街道：``.
2. A heading-shaped line **is a heading** when
   a. it is joined (single newline) to another heading-shaped line or label, or sits directly on
      top of a new text box or a credit line — a headline block (an indented line with
      punctuation is the first line of a text box, not part of the block above it); or
   b. it comes right under a label that is not a ``◎``/``◆`` bullet; or
   c. it stands alone between blank lines, has no punctuation at all and balanced quotes and
      brackets (a line ending inside 《…》 or “…” is a wrap), the line before it ends a sentence
      (or is a heading or credit, or it opens a text box), and its printed width differs by at
      least 8 columns (four Han characters) from the body column before it, the one after it
      and the body line right after it, and is not the same width as the next line. A
      paragraph's first line is only its indent (4–6 columns) shorter than its column; a line
      as wide as its neighbours is a wrapped body line.
   Labels joined to a headline block are part of it.
3. **Titles.** Consecutive headings with the labels above them form one title (lines joined
   with spaces, at most 4 lines); an indented heading line after a heading (a new text box)
   starts a new title. A heading inside a run of more than 6 heading-shaped lines is a list or
   infographic, not a title. Credit lines right after a title (``文 / 汪株燚 通讯员 / 姜慧君
   刘龙龙``, ``［整理 王心怡］``, ``■ … 吴锋民``, or plain names), else the credit lines directly
   above it, give the byline: the names, role labels dropped, in order.
4. **Articles.** Each title starts an article that runs to the next title. A title with fewer
   than 60 characters of text under it is not an article start: in this layout that is a title
   printed after its text (briefs, 项目掠影) or a stray label, and it stays inside the article
   around it — so every article's ``text[start:]`` begins with its title, at the price of a few
   briefs whose title follows their text sitting under the neighbouring title. Text before the
   first title (cover, editorial) is an untitled article.

Sections of long features (``两手抓 两促进 …``) come out as articles of their own: the PDF does
not tell a feature's section headline from a new article's, and a section is a fine unit for
attributing places. Captions and credits stay in the article they sit in.
"""

from __future__ import annotations

import re

from geo.corpus.lines import NAME_TOKEN, NOT_NAMES, ArticleSpan, Line, byline_names, han_count

MIN_BODY = 60  # characters of text a title needs under it to start an article
MAX_GROUP = 4  # lines a title may have (label, title, subtitle …)
LIST_RUN = 6  # more heading-shaped lines in a row than this are a list, not titles
COLUMN_MARGIN = 8  # display columns a lone heading's width differs from the columns and the
# body line around it (a paragraph's first line is only its indent,
# 4–6 columns, shorter than the lines that follow)

_ROLE = r"(?:文|记者|通讯员|整理|摄影|摄|图|编辑)\s*[/／]"
_CREDIT_RE = re.compile(_ROLE + r"|^[［\[]\s*整理|^■")
_ROLE_TOKEN_RE = re.compile(r"\S*" + _ROLE)
_KICKER_RE = re.compile(
    r"[\[［【〔]\s*[^\]］】〕]{1,10}\s*[\]］】〕]"  # [ 新闻链接 ] 【延伸阅读】
    r"|[·•]\s*\S{2,8}\s*[·•]"  # ·项目掠影·
    r"|[◆◇●■▲◎]\s*\S.{0,14}"  # ◆ 4 月 16 日
    r"|[\u4e00-\u9fff]{2,6}"  # 历史钩沉 编者按
    r"|.{2,12}\s*[:：]"
)  # 下沙街道：
_PUNCT_RE = re.compile(r"[，、,。；：]")
_BULLET_RE = re.compile(r"[◆◇●■▲◎]")
_SENTENCE_END = frozenset("。！？!?”」』）)…")
_BAD_END = frozenset("，、；;,。．：:")


def _display_width(s: str) -> int:
    """Printed width: Han, full-width forms and CJK quotes (3 UTF-8 bytes) count two columns,
    ASCII one — computed from the UTF-8 length, without a Python loop over characters."""
    return (len(s.encode("utf-8")) + len(s)) // 2


def _heading_shaped(s: str) -> bool:
    if not 3 <= len(s) <= 34 or s[-1] in _BAD_END or "/" in s or "／" in s or s[0] in "［[■":
        return False
    h = han_count(s)
    if h < 2 or h * 3 < len(s.replace(" ", "")):
        return False
    inner = s[:-1]
    return "。" not in inner and "；" not in inner and sum(map(inner.count, "，、,")) <= 2


def credit_names(s: str) -> tuple[str, ...]:
    """Names in a credit line: ``文 / 汪株燚  通讯员 / 姜慧君 刘龙龙`` → (汪株燚, 姜慧君, 刘龙龙)."""
    s = _ROLE_TOKEN_RE.sub(" ", s)
    s = re.sub(r"[［］\[\]■/／:：、，,（）()]", " ", s)
    return tuple(t for t in s.split() if 2 <= len(t) <= 4 and NAME_TOKEN.fullmatch(t) and t not in NOT_NAMES)


class _Features:
    """Per-line shape flags, computed once (one pass of cheap string tests per line)."""

    def __init__(self, lines: list[Line]):
        self.lines = lines
        self.credit = [bool(_CREDIT_RE.search(ln.text)) for ln in lines]
        self.kicker = [
            len(ln.text) <= 20 and not c and bool(_KICKER_RE.fullmatch(ln.text))
            for ln, c in zip(lines, self.credit)
        ]
        self.shaped = [not k and _heading_shaped(ln.text) for ln, k in zip(lines, self.kicker)]
        self.width = [_display_width(ln.text) for ln in lines]
        self.punct = [bool(_PUNCT_RE.search(ln.text)) for ln in lines]
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
                sides.append(found[int(0.7 * (len(found) - 1))])
        return sides


def _headings(f: _Features) -> list[bool]:
    lines, shaped = f.lines, f.shaped
    n = len(lines)
    head = [False] * n
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
        if f.punct[i] or not _balanced(ln.text):
            continue
        if i > 0 and f.kicker[i - 1] and not _BULLET_RE.match(lines[i - 1].text):
            head[i] = True  # 2b: under a label
            continue
        prev_ok = (
            i == 0 or ln.indented or head[i - 1] or f.credit[i - 1] or lines[i - 1].text[-1] in _SENTENCE_END
        )
        if not prev_ok:
            continue
        w = f.width[i]
        if i + 1 < n and shaped[i + 1] and abs(w - f.width[i + 1]) <= 1 and w >= 16:
            continue  # as wide as the next line: a narrow column
        nxt = f.width[i + 1] if i + 1 < n and f.bodyish[i + 1] else None
        if all(abs(w - col) >= COLUMN_MARGIN for col in f.column_widths(i)) and (
            nxt is None or abs(w - nxt) >= COLUMN_MARGIN
        ):
            head[i] = True  # 2c: a lone heading
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


def _balanced(s: str) -> bool:
    """Quotes and brackets close on the line: a line ending inside 《…》 or “…” is a wrap."""
    return all(s.count(a) == s.count(b) for a, b in ("《》", "“”", "（）", "()", "「」"))


def _groups(f: _Features, head: list[bool]) -> list[tuple[int, int]]:
    """(first, last) line index of each title group, leading kickers included, lists dropped."""
    groups: list[tuple[int, int]] = []
    n = len(f.lines)
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
            if f.lines[x].indented and head[x] and any(head[y] and not f.kicker[y] for y in pieces[-1]):
                pieces.append([x])  # a new text box
            else:
                pieces[-1].append(x)
        for p in pieces:
            while p and not head[p[-1]]:  # kickers only lead
                p.pop()
            if p and len(p) <= MAX_GROUP and _shaped_run(f, p[0]) <= LIST_RUN:
                groups.append((p[0], p[-1]))
        i = j + 1
    return groups


def _shaped_run(f: _Features, i: int) -> int:
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


def _title_prefix(s: str) -> str:
    """``“慈善十大工程”暖人心文 / 汪株燚`` → ``“慈善十大工程”暖人心``: a title glued to its credit."""
    m = re.search(r"文\s*[/／]", s)
    if not m or m.start() == 0:
        return ""
    prefix = s[: m.start()].rstrip()
    return prefix if han_count(prefix) >= 2 and prefix[-1] not in _BAD_END else ""


def _name_line(s: str) -> tuple[str, ...]:
    found = byline_names(s)
    return found[0] if found and 2 * found[1] >= len(found[0]) else ()


def split_magazine(lines: list[Line]) -> list[ArticleSpan]:
    f = _Features(lines)
    head = _headings(f)
    groups = _groups(f, head)
    n = len(lines)
    heads = []  # (first line, title, byline, first body line)
    for k, (a, b) in enumerate(groups):
        title_parts = [lines[x].text for x in range(a, b + 1)]
        byline: tuple[str, ...] = ()
        body = b + 1
        while body < n and (f.credit[body] or _name_line(lines[body].text)):
            text = lines[body].text
            if f.credit[body]:
                prefix = _title_prefix(text) if body == b + 1 else ""
                if prefix:
                    title_parts.append(prefix)
                byline += credit_names(text)
            else:
                byline += _name_line(text)
            body += 1
        if not byline:  # credits printed above the title
            c = a
            while c > 0 and f.credit[c - 1]:
                c -= 1
            byline = tuple(x for y in range(c, a) for x in credit_names(lines[y].text))
        nxt = groups[k + 1][0] if k + 1 < len(groups) else n
        body_chars = 0
        for x in range(body, nxt):
            body_chars += 0 if f.credit[x] else len(lines[x].text)
            if body_chars >= MIN_BODY:
                break
        if body_chars < MIN_BODY:
            continue  # 4: no text under it
        heads.append((a, " ".join(title_parts), byline, body))
    spans: list[ArticleSpan] = []
    if not heads or heads[0][0] > 0:
        last = heads[0][0] - 1 if heads else n - 1
        spans.append(ArticleSpan(lines[0].start, lines[last].end, "", (), lines[0].start))
    for k, (a, title, byline, body) in enumerate(heads):
        nxt = heads[k + 1][0] if k + 1 < len(heads) else n
        end = lines[nxt - 1].end
        body_start = lines[body].start if body < nxt else end
        spans.append(ArticleSpan(lines[a].start, end, title, byline, body_start))
    return spans
