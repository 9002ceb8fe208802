"""The figures of one document, article by article, tied to the places the articles name.

A figure belongs to the place its sentence is about (:mod:`geo.metrics.place`); an article that
names no place at all (a magazine sidebar: "8 家企业签约落户") inherits the main place of the
article before it. One article's odd figures never lose the rest: they are logged and skipped.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence

from geo.columns import ArticleMentions
from geo.corpus import YearEvidence, document_year
from geo.metrics import lexicon as lx
from geo.metrics.figures import figures_of
from geo.schema import Article, Document, Mention, Metric

log = logging.getLogger(__name__)

#: Most specific first: the place a headline is about is its smallest named unit.
_LEVEL_RANK = {"zone": 0, "landmark": 1, "village": 2, "township": 3, "county": 4, "city": 5, "province": 6}


def document_metrics(
    doc: Document, articles: list[Article], article_mentions: Sequence[Sequence[Mention]]
) -> list[Metric]:
    """Figures of every article of ``doc``, in order (``article_mentions[i]``: article i's)."""
    years: list[YearEvidence | None] = []

    def year() -> YearEvidence | None:  # the document's year, found when a figure first needs it
        if not years:
            years.append(document_year(doc.text))
        return years[0]

    out: list[Metric] = []
    context_place: tuple[str, str | None] | None = None
    for a, mentions in zip(articles, article_mentions):
        main = main_place(a, mentions)
        out.extend(_article_metrics(a, doc, mentions, year, main, context_place))
        if main is not None:
            context_place = main
    return out


def main_place(article: Article, mentions: Sequence[Mention]) -> tuple[str, str | None] | None:
    """(place_id, name) the headline names (the most specific one, not a location: 这座位于杭州东部的
    科学城), else the most mentioned place (a tie goes to the first mentioned); places inside
    organisation names do not count."""
    if isinstance(mentions, ArticleMentions):  # the pipeline's columns: no record per mention
        starts, in_org, rows = mentions.starts, mentions.in_org, mentions.place_rows()
    else:
        starts, in_org = [m.start for m in mentions], [m.in_org for m in mentions]
        rows = [(m.place_id, m.name, m.level) for m in mentions]
    plain = [i for i, o in enumerate(in_org) if not o]
    if not plain:
        return None
    head = title_start(article)
    in_title = [
        i
        for i in plain
        if head <= starts[i] < article.body_start
        and not lx.REL_BEFORE_RE.search(
            article.text, max(0, starts[i] - article.start - 6), starts[i] - article.start
        )
    ]
    if in_title:
        best = min(in_title, key=lambda i: (_LEVEL_RANK.get(rows[i][2], 9), starts[i]))
        return str(rows[best][0]), rows[best][1]
    pid = Counter(rows[i][0] for i in plain).most_common(1)[0][0]
    return str(pid), next(rows[i][1] for i in plain if rows[i][0] == pid)


def title_start(article: Article) -> int:
    """Where the headline starts: the title printed right before the body, after a standfirst or
    a credit the article may open with (``位于大创小镇的…`` / ``文 / 李如艳 …`` / the title)."""
    if not article.title:
        return article.start
    k = article.text.rfind(article.title[:4], 0, article.body_start - article.start)
    return article.start + k if k >= 0 else article.start


def _article_metrics(
    article: Article,
    doc: Document,
    mentions: Sequence[Mention],
    year: Callable[[], YearEvidence | None],
    main: tuple[str, str | None] | None,
    context_place: tuple[str, str | None] | None,
) -> list[Metric]:
    try:
        return figures_of(article, doc.text, mentions, year, main[0] if main else None, context_place)[0]
    except Exception as e:  # one article's odd figures must not lose the corpus: report, go on
        log.warning(
            "metrics skipped for %s %r: %s: %s", article.file, article.title[:30], type(e).__name__, e
        )
        return []
