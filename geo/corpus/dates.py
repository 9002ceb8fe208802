"""When a text was written: the year a document speaks from, and each article's date.

An article's ``date`` is ISO and only as precise as the evidence (``2021-04-16``, ``2021-04``,
``2021``); ``date_source`` says which evidence, most specific first:

1. **dateline** — a date heading the article: the dated label over it (``◆ 4 月 16 日``), or its
   body opening with a date (``4 月 19 日下午，市委市政府领导赴钱塘区调研``, ``本报讯（记者 张三）
   5月20日，``, ``新华社杭州5月20日电``, ``5月下旬，杭州入夏`` → the month). A day without a year
   takes the year of the evidence below (issue, header, file name, document).
2. **header** — the last dated line above the article (a page header ``2024年5月20日 星期一``).
3. **issue** — a magazine issue at the top of the document (``2021 \\04 NO.9`` → ``2021-04``).
4. **file name** — ``20240520_xxx.txt``, ``2024-05-20 晚报.md`` (a date with a plausible month
   and day).
5. **document** — the year the document's own wording gives (``2023年底以来`` → 2024,
   ``展望2024年``).
6. **unknown** — ``date`` is null.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath

S = r"\s*"


@dataclass(frozen=True)
class YearEvidence:
    """The year a document (or article) speaks from, and the text that says so."""

    year: int
    source: str  # e.g. "“2023年底以来” → 2024", "issue date “2021 \\04 NO.9”"
    kind: str  # issue_date | dated_heading | since_year_end | outlook | new_year | this_year_stated
    start: int | None = None  # offsets of the evidence in the text given to document_year
    end: int | None = None
    month: int | None = None  # issue_date and dated_heading know the month


_ISSUE_RE = re.compile(
    rf"(?P<y>(?:19|20)\d{{2}}){S}(?:[\\/／]|年){S}(?P<m>\d{{1,2}}){S}(?:月)?{S}"
    rf"(?:NO\.?{S}\d*|No\.?{S}\d*|第|总第|期)"
)
#: A line that is (nearly) only a full date, without sentence punctuation: a page header
#: (``2024年5月20日 星期一``, ``浙江日报 2024-05-20``), a dated heading.
_DATED_LINE_RE = re.compile(
    rf"(?<![^\r\n])[^\S\r\n]*#*[^\S\r\n]*[^，,。；：:\r\n]{{0,12}}?(?P<y>(?:19|20)\d{{2}}){S}[年\-/.]{S}"
    rf"(?P<m>\d{{1,2}}){S}[月\-/.]{S}(?P<d>\d{{1,2}}){S}日?[^，,。；：:\r\n]{{0,12}}(?![^\r\n])"
)
_IN_TEXT = (
    ("since_year_end", re.compile(rf"(?P<y>(?:19|20)\d{{2}}){S}年{S}(?:底|末){S}以{S}来"), 1),
    ("outlook", re.compile(rf"展{S}望{S}(?P<y>(?:19|20)\d{{2}}){S}年"), 0),
    (
        "new_year",
        re.compile(
            rf"迎{S}来{S}(?P<y>(?:19|20)\d{{2}}){S}年|(?P<y2>(?:19|20)\d{{2}}){S}年{S}"
            rf"(?:伊始|开年|开局|开春)"
        ),
        0,
    ),
    ("this_year_stated", re.compile(rf"今{S}年{S}[（(]{S}(?P<y>(?:19|20)\d{{2}}){S}年?{S}[)）]"), 0),
)
#: What every match of an _IN_TEXT pattern holds, where the pattern itself scans slowly (its
#: alternatives do not open with a character, or open with a digit): patterns that each open with
#: one character (the scan skips to it), looked for first; the pattern only if one is found.
_IN_TEXT_WORDS = {
    "since_year_end": (re.compile(rf"年{S}[底末]{S}以{S}来"),),
    "new_year": (re.compile(rf"迎{S}来{S}(?:19|20)"), re.compile(rf"年{S}(?:伊始|开[年局春])")),
}
#: Where a year opens, followed by a separator and a month (``2024年5``, only the year consumed):
#: every dated line holds one, and a line's start is tried only then.
_YEAR_RE = re.compile(rf"(?:19|20)\d\d(?={S}[年\-/.]{S}\d)")
#: The document year of the text last asked about: the corpus stage and the metrics stage both ask
#: about each document's text (the same str), one after the other.
_LAST_YEAR: tuple[str, YearEvidence | None] | None = None


def _flat(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _in_text_year(m: re.Match[str]) -> int:
    """The year an _IN_TEXT match captured: in group ``y``, or ``y2`` for the other alternative."""
    y = m["y"] or m.groupdict().get("y2")
    assert y is not None  # every alternative of an _IN_TEXT pattern captures y or y2
    return int(y)


def issue_date(text: str) -> YearEvidence | None:
    """A magazine issue date at the top of the text (``2021 \\04 NO.9``)."""
    m = _ISSUE_RE.search(text, 0, 400)
    if m and 1 <= int(m["m"]) <= 12:
        return YearEvidence(
            int(m["y"]), f"issue date “{_flat(m.group(0))}”", "issue_date", m.start(), m.end(), int(m["m"])
        )
    return None


def document_year(text: str) -> YearEvidence | None:
    """The year a text is written in, from its own evidence, strongest first; None if it has none.

    Strongest: a magazine issue date at the top ("2021 \\04 NO.9"), then a dated heading line,
    then phrases that only make sense in one year ("2023年底以来" → 2024, "展望2024年",
    "迎来2024年"). The latest year merely *mentioned* is not evidence: "2023年度十大进展"
    is reported in 2024.
    """
    global _LAST_YEAR
    last = _LAST_YEAR
    if last is not None and last[0] is text:
        return last[1]
    ev = _document_year(text)
    _LAST_YEAR = (text, ev)
    return ev


def _document_year(text: str) -> YearEvidence | None:
    ev = issue_date(text)
    if ev:
        return ev
    m = next(_dated_lines(text[:2000]), None)  # _DATED_LINE_RE.search(text, 0, 2000)
    if m and 1 <= int(m["m"]) <= 12:
        return YearEvidence(
            int(m["y"]),
            f"dated heading “{_flat(m.group(0))}”",
            "dated_heading",
            m.start(),
            m.end(),
            int(m["m"]),
        )
    for kind, rx, add in _IN_TEXT:
        words = _IN_TEXT_WORDS.get(kind)
        if words is not None and not any(w.search(text) for w in words):
            continue
        found = [(_in_text_year(m), m) for m in rx.finditer(text)]
        if found:
            years = [y for y, _ in found]
            y = max(set(years), key=years.count)  # majority, then first
            m = next(mm for yy, mm in found if yy == y)
            return YearEvidence(y + add, f"“{_flat(m.group(0))}” → {y + add}", kind, m.start(), m.end())
    return None


# --- article dates -----------------------------------------------------------------------------
_MD = rf"(?P<m>1[0-2]|0?[1-9]){S}月{S}(?:(?P<d>[12]\d|3[01]|0?[1-9]){S}[日号]|(?P<part>[上中下]旬|初|底))"
#: A date opening an article's body, after an optional news-agency or 本报讯 lead-in.
_DATELINE_RE = re.compile(
    rf"[\s#◆◇●■▲◎·]*(?:本报讯\s*[（(][^）)]{{0,20}}[）)]\s*|新华社\S{{0,6}}?(?=\d)|据[^，。\r\n]{{0,14}}?(?=\d))?"
    rf"(?:(?P<y>(?:19|20)\d{{2}}){S}年{S})?{_MD}"
)
_FILE_DATE_RES = (
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"),
    re.compile(
        r"(?<!\d)(?P<y>(?:19|20)\d{2})[-_.](?P<m>0?[1-9]|1[0-2])[-_.](?P<d>0?[1-9]|[12]\d|3[01])(?!\d)"
    ),
    re.compile(r"(?P<y>(?:19|20)\d{2})年(?P<m>0?[1-9]|1[0-2])月(?P<d>0?[1-9]|[12]\d|3[01])日"),
)


def file_name_date(file: str) -> tuple[int, int, int] | None:
    """(year, month, day) written in a file name: ``20240520_xxx.txt``, ``2024-05-20 晚报.md``."""
    name = PurePath(file).name
    for rx in _FILE_DATE_RES:
        m = rx.search(name)
        if m:
            return int(m["y"]), int(m["m"]), int(m["d"])
    return None


def header_dates(text: str) -> list[tuple[int, str]]:
    """(offset, ISO date) of every line that is only a full date (page headers), in order."""
    out = []
    for m in _dated_lines(text):
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        if 1 <= mo <= 12 and 1 <= d <= 31:
            out.append((m.start(), f"{y:04d}-{mo:02d}-{d:02d}"))
    return out


def _dated_lines(text: str) -> Iterator[re.Match[str]]:
    """``_DATED_LINE_RE.finditer(text)``, tried only at the starts of lines holding a year.

    A match starts at a line start (its lookbehind) and holds its year on that first line (nothing
    before the year crosses a line end); the year, four digits and then a separator and a month,
    begins at a ``_YEAR_RE`` match or inside one (its four digits) of the same line. Trying those
    line starts in order, each past the last match's end, is what ``finditer`` does without trying
    every character of the text.
    """
    end = line = lo = 0
    last = -1
    rfind = text.rfind
    for y in _YEAR_RE.finditer(text):
        q = y.start()
        brk = max(rfind("\n", lo, q), rfind("\r", lo, q))  # a line end since the last year
        if brk >= 0:
            line = brk + 1
        lo = q
        if line == last or line < end:
            continue
        last = line
        m = _DATED_LINE_RE.match(text, line)
        if m:
            end = m.end()
            yield m


def dateline(text: str, pos: int) -> tuple[int | None, int, int | None] | None:
    """(year or None, month, day or None) of a date opening ``text`` at ``pos``."""
    m = _DATELINE_RE.match(text, pos)
    if not m:
        return None
    return (int(m["y"]) if m["y"] else None, int(m["m"]), int(m["d"]) if m["d"] else None)


@dataclass(frozen=True)
class DocumentDates:
    """What a document says about when it was written, found once per document."""

    issue: YearEvidence | None
    headers: list[tuple[int, str]]
    file_date: tuple[int, int, int] | None
    year: YearEvidence | None

    @classmethod
    def of(cls, file: str, text: str) -> DocumentDates:
        return cls(issue_date(text), header_dates(text), file_name_date(file), document_year(text))

    def fallback(self, start: int) -> tuple[str | None, str]:
        """The date an article gets from its document (sources 2–6): (ISO date or None, source)."""
        above = [d for off, d in self.headers if off <= start]
        if above:
            return above[-1], "header"
        if self.issue:
            return f"{self.issue.year:04d}-{self.issue.month or 1:02d}", "issue"
        if self.file_date:
            y, m, d = self.file_date
            return f"{y:04d}-{m:02d}-{d:02d}", "file name"
        if self.year:
            return str(self.year.year), "document"
        return None, "unknown"


def article_date(
    dates: DocumentDates, text: str, start: int, end: int, body_start: int, title: str
) -> tuple[str | None, str]:
    """(ISO date or None, date_source) of the article ``text[start:end]`` (see module docstring)."""
    base, source = dates.fallback(start)
    found = dateline(title, 0) if DATED_TITLE_RE.match(title) else None
    if found is None:
        found = dateline(text, body_start) or dateline(text, start)
    if found is None:
        return base, source
    y, m, d = found
    if y is None:
        if base is None:
            return None, "unknown"
        y = int(base[:4])
    return (f"{y:04d}-{m:02d}-{d:02d}" if d else f"{y:04d}-{m:02d}"), "dateline"


#: A title led by a dated label (``◆ 4 月 16 日 又一个世界 500 强项目落户``).
DATED_TITLE_RE = re.compile(rf"[◆◇●■▲◎·]\s*{_MD}")
