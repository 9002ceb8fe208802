"""Curated gazetteer files (gazetteer/*.csv) and the naming rules applied to package data.

Curated rows are reviewable by people, so they are validated strictly: any malformed row fails
the build with CuratedRowError(path, line, problem) instead of silently placing something wrong.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
from shapely.geometry import Point

from geo.errors import CuratedRowError

#: Columns of gazetteer/zones.csv and gazetteer/towns.csv (same schema).
POINT_COLUMNS = (
    "place_id",
    "name",
    "aliases",
    "kind",
    "level",
    "county_code",
    "county",
    "lon",
    "lat",
    "precision",
    "source",
    "note",
)
#: Columns that may be empty in a curated point row.
OPTIONAL_POINT_COLUMNS = {"aliases", "kind", "note"}
HISTORICAL_COLUMNS = ("name", "place_id", "until", "note", "source")
PRECISIONS = ("exact", "township", "county")
#: Bounding box of China (incl. islands) — a coarse first check before the county polygon test.
CHINA_BBOX = (73.4, 3.3, 135.1, 53.6)

#: Ethnic-group names stripped from autonomous units' short forms (海西蒙古族藏族自治州 -> 海西).
_ETHNIC = (
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
    "各",
)
#: (the groups' names, read by the geoparser too: 畲族村, 瑶族村 name a kind of village)
ETHNIC_GROUPS = _ETHNIC
_ETHNIC_RE = re.compile("(?:" + "|".join(sorted(_ETHNIC, key=len, reverse=True)) + ")族$")
#: In an autonomous unit's name the group may stand without 族 (新疆维吾尔自治区, 伊犁哈萨克自治州).
_BARE_ETHNIC_RE = re.compile("(?:" + "|".join(sorted(_ETHNIC, key=len, reverse=True)) + ")族?$")
#: Suffixes stripped to derive short forms, longest first.
_ADMIN_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "林区",
    "新区",
    "省",
    "市",
    "区",
    "县",
    "盟",
    "旗",
)


def short_form(name: str) -> str | None:
    """Short form of a province/city/county name as news writes it (萧山区 -> 萧山), or None.

    Rule: strip one administrative suffix, then any ethnic-group names of an autonomous unit;
    keep the result only if at least 2 characters remain and it differs from the full name.
    """
    for suffix in _ADMIN_SUFFIXES:
        if name.endswith(suffix):
            rest = name[: -len(suffix)]
            if suffix.startswith("自治"):
                rest = strip_ethnic(rest, 2, bare=True)
            return rest if len(rest) >= 2 else None
    return None


def strip_ethnic(name: str, min_len: int = 0, bare: bool = False) -> str:
    """Strip trailing ethnic-group names (安溪畲族 -> 安溪) while at least min_len chars remain;
    ``bare``: also without 族, as autonomous units write them (新疆维吾尔 -> 新疆)."""
    pattern = _BARE_ETHNIC_RE if bare else _ETHNIC_RE
    while True:
        stripped = pattern.sub("", name)
        if stripped == name or len(stripped) < min_len:
            return name
        name = stripped


@dataclass(frozen=True)
class CuratedPoint:
    """One validated row of a curated point file; ``source_ref`` is "gazetteer/x.csv:LINE"."""

    place_id: str
    name: str
    aliases: tuple[str, ...]
    kind: str | None
    level: str
    county_code: str
    lon: float
    lat: float
    precision: str
    source: str
    note: str | None
    source_ref: str


def _rows(path: Path, columns: tuple[str, ...], display: str):
    """Yield (line_number, row dict) with header and value checks common to every curated file."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        missing = [c for c in columns if c not in header]
        if missing:
            raise CuratedRowError(display, 1, f"missing column(s): {', '.join(missing)}")
        for row in reader:
            line = reader.line_num
            if None in row or any(v is None for v in row.values()):
                raise CuratedRowError(display, line, "wrong number of fields")
            yield line, {k: (row[k] or "").strip() for k in columns}


def read_curated_points(
    path: Path,
    display: str,
    counties: gpd.GeoDataFrame,
    levels: tuple[str, ...],
    known_ids: set[str] | None = None,
) -> list[CuratedPoint]:
    """Validate and read a zones/towns CSV.

    counties: county polygons indexed by place_id (with a ``name`` column). levels: the levels
    this file may hold. known_ids: when given, every place_id must already exist (towns.csv
    gives points to official units); otherwise ids must be new and start with "<level>:".
    """
    out: list[CuratedPoint] = []
    seen: set[str] = set()
    for line, row in _rows(path, POINT_COLUMNS, display):
        for col in POINT_COLUMNS:
            if col not in OPTIONAL_POINT_COLUMNS and not row[col]:
                raise CuratedRowError(display, line, f"missing value for {col}")
        pid, level = row["place_id"], row["level"]
        if level not in levels:
            raise CuratedRowError(display, line, f"level {level!r} is not one of {', '.join(levels)}")
        if known_ids is not None:
            if pid not in known_ids:
                raise CuratedRowError(display, line, f"unknown place_id {pid!r}")
        elif not (pid.startswith(f"{level}:") and len(pid) > len(level) + 1):
            raise CuratedRowError(display, line, f"place_id {pid!r} must look like '{level}:<slug>'")
        if pid in seen:
            raise CuratedRowError(display, line, f"duplicate place_id {pid!r}")
        seen.add(pid)
        if row["precision"] not in PRECISIONS:
            raise CuratedRowError(
                display, line, f"precision {row['precision']!r} is not one of {', '.join(PRECISIONS)}"
            )
        try:
            lon, lat = float(row["lon"]), float(row["lat"])
        except ValueError:
            raise CuratedRowError(
                display, line, f"lon/lat not numbers: {row['lon']!r}, {row['lat']!r}"
            ) from None
        x0, y0, x1, y1 = CHINA_BBOX
        if not (x0 <= lon <= x1 and y0 <= lat <= y1):
            raise CuratedRowError(display, line, f"coordinate ({lon}, {lat}) is outside China")
        code = row["county_code"]
        if code not in counties.index:
            raise CuratedRowError(display, line, f"unknown county_code {code!r}")
        county_name = counties.at[code, "name"]
        if row["county"] != county_name:
            raise CuratedRowError(
                display, line, f"county {row['county']!r} does not match county_code {code} ({county_name})"
            )
        if not counties.at[code, "geometry"].covers(Point(lon, lat)):
            raise CuratedRowError(
                display, line, f"point ({lon}, {lat}) is outside its county {county_name} ({code})"
            )
        aliases = tuple(a.strip() for a in row["aliases"].split("|") if a.strip())
        out.append(
            CuratedPoint(
                pid,
                row["name"],
                aliases,
                row["kind"] or None,
                level,
                code,
                lon,
                lat,
                row["precision"],
                row["source"],
                row["note"] or None,
                f"{display}:{line}",
            )
        )
    return out


@dataclass(frozen=True)
class HistoricalName:
    """A former name and the unit that succeeded it (萧山市 → 萧山区, until 2001)."""

    name: str
    place_id: str
    note: str
    source: str
    source_ref: str
    until: int | None = None  # the last year the name was current, where known


def read_historical(path: Path, display: str, known_ids: set[str]) -> list[HistoricalName]:
    """Validate gazetteer/historical.csv: every name maps to a current place id; ``until`` is
    empty or a year AD up to 2100 (an old prefecture's or commandery's too: 缙云郡, until 758)."""
    out = []
    for line, row in _rows(path, HISTORICAL_COLUMNS, display):
        for col in HISTORICAL_COLUMNS:
            if col != "until" and not row[col]:
                raise CuratedRowError(display, line, f"missing value for {col}")
        if row["place_id"] not in known_ids:
            raise CuratedRowError(display, line, f"unknown place_id {row['place_id']!r}")
        until = row["until"]
        if until and not (until.isdigit() and 1 <= int(until) <= 2100):
            raise CuratedRowError(display, line, f"until {until!r} is not a year")
        out.append(
            HistoricalName(
                row["name"],
                row["place_id"],
                row["note"],
                row["source"],
                f"{display}:{line}",
                int(until) if until else None,
            )
        )
    return out


CUSTOMARY_COLUMNS = ("name", "place_id", "source", "note")


def read_customary(path: Path, display: str, known_ids: set[str]) -> list[tuple[str, str, str]]:
    """gazetteer/customary_names.csv: customary short names no rule derives (呼市 → 呼和浩特市), each
    with the public source that shows the usage; (name, place_id, note) rows."""
    out = []
    for line, row in _rows(path, CUSTOMARY_COLUMNS, display):
        for col in ("name", "place_id", "source"):
            if not row[col]:
                raise CuratedRowError(display, line, f"missing value for {col}")
        if row["place_id"] not in known_ids:
            raise CuratedRowError(display, line, f"unknown place_id {row['place_id']!r}")
        out.append(
            (row["name"], row["place_id"], f"customary short name [{row['source']}; {display}:{line}]")
        )
    return out


STOPLIST_COLUMNS = ("name", "place_id", "reason", "source")


def read_short_stoplist(path: Path, display: str, known_ids: set[str]) -> list[tuple[str, str, str]]:
    """gazetteer/short_form_stoplist.csv: city short forms that stay in need of evidence (沙河 is a
    sandy river before it is 沙河市, 庐山 a mountain); (name, place_id, note) rows."""
    out = []
    for line, row in _rows(path, STOPLIST_COLUMNS, display):
        for col in ("name", "place_id", "reason", "source"):
            if not row[col]:
                raise CuratedRowError(display, line, f"missing value for {col}")
        if row["place_id"] not in known_ids:
            raise CuratedRowError(display, line, f"unknown place_id {row['place_id']!r}")
        out.append((row["name"], row["place_id"], f"{row['reason']} [{display}:{line}]"))
    return out
