"""Finding the figures of one article's text: the catalogue's labels with their values, value-first
counts, project counts, R&D intensity, areas after a place, label lists with 分别, growth and shares.

Every step is linear in the text (regex scans, sorted lists and bisection), so a text without line
breaks — one endless paragraph — costs what the same text with breaks costs.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from geo.metrics import lexicon as lx
from geo.metrics.mentions import MentionView

_RESPECTIVELY_RE = re.compile(r"分\s*别")
_FROM_RE = re.compile(r"由|从")
_AREA_UNIT_RE = re.compile(r"平\s*方\s*(?:公\s*里|千\s*米)")  # the units of AREA_AFTER_PLACE_RE
_SIGNED_RE = re.compile(r"签\s*约")
_QUAL_TAIL_RE = re.compile(lx.QUAL_PRE + r"\s*(?:了|为|是|达到?)?\s*$")  # 约为 1.2 万人
VALUE_REACH = 24  # characters before a value-first label its value may start at
#: A single project's land (``和达药谷五期项目，用地 90 亩``) is a project fact, not a place's.
_PROJECT_RE = re.compile(r"项\s*目|厂\s*房|基\s*地")


@dataclass
class Figure:
    metric: str
    kind: str
    label: str
    label_start: int  # article-relative offsets
    value_start: int
    value_end: int
    value: float
    unit: str  # normalised
    qualifier: str | None
    unit_text: str = ""  # the unit as written (亩, 万元, 万人/平方公里)
    more: list = field(default_factory=list)  # (value, start, end, qualifier, unit_text) after 分别
    yoy: float | None = None
    share_of: str | None = None  # metric this share belongs to


class _Taken:
    """Value spans already claimed; a later figure overlapping one is dropped (earlier patterns
    win). Sorted starts and bisection keep each check O(log n)."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []

    def free(self, a: int, b: int) -> bool:
        k = bisect_left(self.spans, (a, -1))
        if k < len(self.spans) and self.spans[k][0] < b:
            return False
        return not (k > 0 and self.spans[k - 1][1] > a)

    def take(self, a: int, b: int) -> None:
        insort(self.spans, (a, b))


def find_figures(
    text: str, sentences: Callable[[], tuple[list, list[int]]], mentions: MentionView
) -> tuple[list[Figure], list]:
    """The figures of ``text`` in text order, and the matches left out with a reason. ``sentences()``
    gives the text's sentences and their starts, split when first asked for (a few labels need
    them; an article without a figure is never split)."""
    found: list[Figure] = []
    skipped: list = []
    taken = _Taken()

    def add(f: Figure) -> None:
        if taken.free(f.value_start, f.value_end):
            found.append(f)
            taken.take(f.value_start, f.value_end)
            for _, a, b, _, _ in f.more:
                taken.take(a, b)

    for f in _label_lists(text):
        add(f)
    for kind, rx in lx.LABELLED_RE.items():
        for m in rx.finditer(text):
            f = _labelled(text, m, kind, sentences)
            if isinstance(f, str):
                skipped.append((m.group("value"), f))
            elif f is not None:
                add(f)
    for kind, rx in lx.VALUE_FIRST_LABEL_RE.items():  # the label first, then the value before it
        for lab in rx.finditer(text):
            window = lx.VALUE_FIRST_RE[kind].finditer(text, max(0, lab.start() - VALUE_REACH), lab.end())
            hit = [x for x in window if x.end() == lab.end()]
            if not hit:
                continue
            f = _labelled(text, hit[0], kind, sentences, True)
            if isinstance(f, Figure):
                add(f)
    windows: dict[str, list[tuple[int, int]]] = {}  # the sentences each key is looked for in
    for metric, key, rx in lx.COUNT_RES:
        if key not in windows:
            windows[key] = _sentences_with(text, key)
        for m in _in_windows(rx, text, windows[key]):
            if lx.COUNT_MOD_REJECT.search(m.groupdict().get("mod") or ""):
                skipped.append((m.group("value"), "not an investment-project count"))
                continue
            vs, ve = m.span("value")
            label = lx.squeeze(text[m.start() : vs] + text[ve : m.end()]).replace("了", "")
            unit = lx.squeeze(m["unit"])
            add(
                Figure(
                    metric,
                    "count",
                    label,
                    m.start(),
                    vs,
                    ve,
                    _number(m["num"]),
                    "个",
                    lx.qualifier(m["qpost"]),
                    unit,
                )
            )
    for m in lx.RD_INTENSITY_RE.finditer(text):
        label = lx.squeeze(m["label"])
        vs, ve = m.span("value")
        add(
            Figure(
                "rd_intensity",
                "percent",
                label,
                m.start(),
                vs,
                ve,
                _number(m["num"]),
                "%",
                lx.qualifier(m["qpre"]),
                "%",
            )
        )
    # an area after a place holds 平方公里/平方千米: only places ending before the last can have one
    last = max((u.start() for u in _AREA_UNIT_RE.finditer(text)), default=-1)
    for i in range(bisect_right(mentions.ends, last) if last >= 0 else 0):
        am = None if mentions.in_org[i] else lx.AREA_AFTER_PLACE_RE.match(text, mentions.ends[i])
        if am:
            vs, ve = am.span("value")
            unit = lx.squeeze(am["unit"])
            add(
                Figure("area", "area", "面积", am.start(), vs, ve, _number(am["num"]), "平方公里", None, unit)
            )
    found.sort(key=lambda f: f.value_start)
    return found, skipped


def _in_sentences_with(rx: re.Pattern[str], text: str, key: str) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)`` for a count pattern (:data:`~geo.metrics.lexicon.COUNT_RES`): the same
    matches, looked for only in the sentences :func:`_sentences_with` gives."""
    return _in_windows(rx, text, _sentences_with(text, key))


def _in_windows(rx: re.Pattern[str], text: str, windows: list[tuple[int, int]]) -> Iterator[re.Match[str]]:
    for a, b in windows:
        yield from rx.finditer(text, a, b)


def _sentences_with(text: str, key: str) -> list[tuple[int, int]]:
    """The 。-sentences (start, end) holding ``key`` and a 项: a count pattern cannot match across a
    。, every match holds its key and 项 (项目, or the unit: ``签约项目 12 个``, ``引进 3 项``), so
    only these sentences are searched, not the whole article, and each key's once for its patterns."""
    out = []
    find = text.find
    k = find(key)
    while k >= 0:
        a = text.rfind("。", 0, k) + 1
        b = find("。", k)
        b = len(text) if b < 0 else b
        if find("项", a, b) >= 0:
            out.append((a, b))
        k = find(key, b)
    return out


def _number(s: str) -> float:
    value = lx.parse_number(s)
    assert value is not None  # s is a digit run (or Chinese magnitude) the pattern matched
    return round(value, 6)


def _labelled(text, m, kind, sentences, value_first=False):
    """A "LABEL … VALUE UNIT" (or "VALUE UNIT LABEL") match → Figure, a reason to skip (str), or
    None (not a figure)."""
    label_text = m.group("label")
    metric = lx.label_key(label_text)
    assert metric is not None  # the regexes' labels are exactly the catalogue's, loosely spaced
    ls = m.start("label") if value_first else m.start()
    before = lx.squeeze(text[max(0, ls - 6) : ls])
    if not value_first and lx.LABEL_PREFIX_REJECT.search(before):
        return None
    if kind == "firms" and lx.FIRMS_PREFIX_REJECT.search(before):
        return None
    gap = m.group("gap") or ""
    if not _FROM_RE.search(gap) and lx.GAP_REJECT.search(gap):
        return None
    unit = m.group("unit")
    num_text = m.group("num")
    if kind == "population" and not unit and (num_text[0].isdigit() or num_text[-1] not in "万亿"):
        return None
    info = lx.unit_info(kind, unit)
    value = lx.parse_number(num_text)
    if info is None or value is None:
        return None
    if metric in ("signed_investment", "land_area"):
        sents, starts = sentences()
        ss = sents[
            bisect_right(starts, ls) - 1
        ].start  # the clause: from the last ；before the label, within its sentence
        clause = max(ss, text.rfind("；", ss, ls) + 1, text.rfind(";", ss, ls) + 1)
        if metric == "signed_investment" and not _SIGNED_RE.search(text, clause, ls):
            return "investment not tied to signed projects"
        if metric == "land_area" and (
            _PROJECT_RE.search(text, clause, ls) or lx.PROJECT_AFTER_RE.match(text, m.end())
        ):
            return "a single project's land, not a place's"
    factor, norm_unit = info
    qual = lx.qualifier(m.group("qpre"), m.group("qpost"), m.group("qafter"))
    if qual is None:
        tail = _QUAL_TAIL_RE.search(gap)  # 约为 1.2 万人
        qual = lx.qualifier(tail.group("qpre")) if tail else None
    if m.group("num2"):
        qual = "range"
    vs = m.start("value") if m.group("qpre") is None or not value_first else m.start("qpre")
    ve = m.end("qafter") if m.group("qafter") else m.end("value")
    label = lx.squeeze(label_text)
    if lx.is_sector_label(label_text):  # 软件和信息技术 + 服务业收入
        sector = lx.sector_start(text, ls)
        if sector is None:
            return None
        label, ls = lx.squeeze(text[sector:ls]) + label, sector
    fig = Figure(metric, kind, label, ls, vs, ve, round(value * factor, 6), norm_unit, qual, _unit_text(unit))
    if not value_first and _RESPECTIVELY_RE.search(text, ls, vs):  # the gap lies inside text[ls:vs]
        fig.more = _more_values(text, ve, kind, factor, fig.unit_text)
    return fig


def _unit_text(unit: str | None) -> str:
    return lx.squeeze(unit or "")


def _more_values(text, pos, kind, factor, unit_text):
    """Further values after the first: "分别为 1413 平方公里和 1228 平方公里"."""
    out: list[tuple[float, int, int, str | None, str]] = []
    while True:
        m = lx.MORE_VALUES_RE[kind].match(text, pos)
        if not m:
            return out
        info = lx.unit_info(kind, m["unit"]) if m["unit"] else (factor, None)
        if info is None:
            return out
        num = lx.parse_number(m["num"])
        assert num is not None  # MORE_VALUES_RE's num is a plain digit run
        unit = _unit_text(m["unit"]) or unit_text
        out.append(
            (round(num * info[0], 6), m.start("num"), m.end(), lx.qualifier(m["qpre"], m["qpost"]), unit)
        )
        pos = m.end()


def _label_lists(text: str) -> list[Figure]:
    """A list of labels with 分别: ``高新技术产业增加值、战略性新兴产业增加值、高端装备制造业增加值分别
    达到 476.5 亿元、226.6 亿元和 192.5 亿元`` — each label takes its value, in order."""
    out = []
    found = (
        lx.LABEL_LIST_RE.search(text, max(0, r.start() - 120), r.end() + 8)
        for r in _RESPECTIVELY_RE.finditer(text)  # 分别 is rare: look only around it
    )
    for m in (x for x in found if x is not None):
        labels = list(lx.ANY_LABEL_RE.finditer(m.group("labels")))
        metrics = [lx.label_key(x.group(0)) for x in labels]
        kinds = {lx.kind_of(k) for k in metrics if k}
        if None in metrics or len(kinds) != 1 or None in kinds:
            continue
        kind = kinds.pop()
        assert kind is not None
        v = lx.FIRST_VALUE_RE[kind].match(text, m.end())
        if not v:
            continue
        info = lx.unit_info(kind, v["unit"])
        num = lx.parse_number(v["num"])
        if info is None or num is None:
            continue
        values = [
            (
                round(num * info[0], 6),
                v.start("value"),
                v.end("value"),
                lx.qualifier(v["qpre"]),
                _unit_text(v["unit"]),
            )
        ]
        values += _more_values(text, v.end(), kind, info[0], values[0][4])
        base = m.start("labels")
        for lab, key, (value, vs, ve, qual, unit) in zip(labels, metrics, values):
            assert key is not None
            info2 = lx.unit_info(kind, unit) or info
            out.append(
                Figure(
                    key,
                    kind,
                    lx.squeeze(lab.group(0)),
                    base + lab.start(),
                    vs,
                    ve,
                    value,
                    info2[1],
                    qual,
                    unit,
                )
            )
    return out


def attach_growth_and_shares(text, figures, sentences, starts):
    """Year-on-year changes and "占全区…的x%" shares that follow a figure in its sentence."""
    shares = []
    n = len(figures)
    for i, f in enumerate(figures):
        si = bisect_right(starts, f.value_start) - 1
        sent_start, sent_end = sentences[si].start, sentences[si].end
        nxt = sent_end
        for j in range(i + 1, n):  # the next figure's label after this value (figures are in order)
            if figures[j].label_start >= f.value_end:
                nxt = figures[j].label_start
                break
            if figures[j].value_start > sent_end:
                break
        stop = min(nxt, sent_end)
        sh = lx.SHARE_RE.match(text[f.value_end : stop])
        if sh and f.kind != "percent":
            vs, ve = f.value_end + sh.start("value"), f.value_end + sh.end("value")
            label, ls = lx.squeeze(sh["label"]), f.value_end + sh.start("label")
            qual = lx.qualifier(sh["qpre"])
            share = Figure(
                f"{f.metric}_share", "percent", label, ls, vs, ve, _number(sh["num"]), "%", qual, "%"
            )
            share.share_of = f.metric
            shares.append(share)
        y = lx.YOY_RE.search(text, f.value_end, stop)
        if y is None or y["avg"] or not (y["cmp"] or y["verb"] or y["noun"]):
            continue
        pcts = [float(lx.squeeze(y["pct"]))] + [
            float(lx.squeeze(p)) for p in lx.YOY_MORE_RE.findall(y["more"] or "")
        ]
        sign = -1.0 if lx.is_negative(y.group(0)) else 1.0
        if len(pcts) == 1:
            f.yoy = sign * pcts[0]
            continue
        # 分别同比增长 17.3% 和 11.3%: the figures of this sentence still without a change, in order.
        k = i
        while k > 0 and figures[k - 1].value_start >= sent_start:
            k -= 1
        open_ = [g for g in figures[k : i + 1] if g.yoy is None]
        for g, p in zip(open_[-len(pcts) :], pcts):
            g.yoy = sign * p
    figures.extend(shares)
    figures.sort(key=lambda f: f.value_start)
