"""The download buttons under the map: the same files as ``python -m geo export``, for the filters.

A download is built in the server's memory before the browser gets it, so the mentions CSV of a
large store (a 1 GB corpus has ~23 M mentions) is offered as the command that writes it instead:
a click must not take the server past its memory.
"""

from __future__ import annotations

import shlex

import streamlit as st

from geo.export import MIME_TYPES, export_filename
from geo.ui import data

#: Mentions in scope above which the mentions CSV is not built in the server (≈ 100 MB of CSV).
MAX_DOWNLOAD_MENTIONS = 1_000_000

_BUTTONS = (
    ("下载 GeoJSON", "both", "geojson", "地图上的区县与地点（按当前筛选），WGS-84"),
    ("下载指标 CSV", "metrics", "csv", "按当前筛选的经济指标，与命令行导出的文件相同"),
    ("下载提及 CSV", "mentions", "csv", "按当前筛选的地名提及，与命令行导出的文件相同"),
)


def downloads(ref, scope, settings) -> None:
    def file_bytes(layer: str, fmt: str):
        return lambda: data.export_bytes(ref, scope, layer, fmt, settings)

    mentions = data.totals(ref, scope)["mentions"]
    too_many = mentions > MAX_DOWNLOAD_MENTIONS
    for col, (label, layer, fmt, tip) in zip(st.columns(3), _BUTTONS):
        if layer == "mentions" and too_many:
            limit = MAX_DOWNLOAD_MENTIONS
            col.caption(f"提及 CSV：{mentions:,} 次提及，超过网页下载上限 {limit:,}，见下方命令。")
            continue
        col.download_button(
            label,
            file_bytes(layer, fmt),
            file_name=export_filename(layer, fmt),
            mime=MIME_TYPES[fmt],
            on_click="ignore",
            key=f"dl-{layer}-{fmt}",
            help=tip,
            width="stretch",
        )
    if too_many:
        command = shlex.join(
            ["python", "-m", "geo", "export", "--store", ref.path, "--layer", "mentions",
             "--format", "csv", "--out", export_filename("mentions", "csv")]
        )  # fmt: skip
        st.caption("全部提及请用命令行导出（不在网页服务器的内存里生成）：")
        # plain monospace text, not st.code: its syntax highlighter cost the browser ~0.3 s of
        # script on the 1 GB store's first page, before the map's frame was made
        st.text(command)
