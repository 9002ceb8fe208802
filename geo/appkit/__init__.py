"""Pure logic behind the Streamlit app (app.py stays a thin view over these functions).

Everything here works on the extraction DataFrames (mentions, articles, metrics; see the brief's
data contracts) and plain dicts, so it is unit-tested without a browser: filters → the frames the
map layers are built from, a map click → a place id, a place → its articles with highlighted
snippets, an article → its full text with every mention highlighted, and place search by Chinese
name or pinyin. Corpus text is HTML-escaped everywhere it is turned into markup.
"""

from geo.appkit.articles import (
    article_html,
    articles_for_place,
    map_link,
    md_text,
    place_ids_under,
    place_metrics,
    place_row,
)
from geo.appkit.clicks import MARKER_TOLERANCE_DEG, click_signature, place_id_from_click
from geo.appkit.filters import (
    COUNT_MEASURES,
    LATEST,
    LEVEL_LABELS,
    MAP_LEVELS,
    PRECISION_LABELS,
    ArticleHit,
    Filters,
    Measure,
    Subset,
    filter_frames,
    levels_present,
    measure_options,
    metrics_for_measure,
    month_bounds,
    month_range,
    periods_present,
    places_table,
    subset,
)
from geo.appkit.search import search_index, search_places
from geo.layers import POINT_LEVELS, admin_chain, period_key

__all__ = [
    "COUNT_MEASURES",
    "LATEST",
    "LEVEL_LABELS",
    "MAP_LEVELS",
    "MARKER_TOLERANCE_DEG",
    "POINT_LEVELS",
    "PRECISION_LABELS",
    "ArticleHit",
    "Filters",
    "Measure",
    "Subset",
    "admin_chain",
    "article_html",
    "articles_for_place",
    "click_signature",
    "filter_frames",
    "levels_present",
    "map_link",
    "md_text",
    "measure_options",
    "metrics_for_measure",
    "month_bounds",
    "month_range",
    "period_key",
    "periods_present",
    "place_id_from_click",
    "place_ids_under",
    "place_metrics",
    "place_row",
    "places_table",
    "search_index",
    "search_places",
    "subset",
]
