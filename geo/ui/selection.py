"""Who is selected (a place, an article), kept in session state and mirrored in the URL
(?place=…&article=…): links from a mention in an article land here, and a reload keeps the
selection."""

from __future__ import annotations

import streamlit as st


def select(place_id: str | None, article_id: str | None = None, center: bool = False) -> None:
    st.session_state.place = place_id
    st.session_state.article = article_id
    if center:
        st.session_state.center_on = place_id


def open_article(article_id: str | None) -> None:
    st.session_state.article = article_id


def init_state() -> None:
    """First run of a session: take the selection from the URL (links from mentions land here)."""
    if "place" not in st.session_state:
        st.session_state.place = st.query_params.get("place")
        st.session_state.article = st.query_params.get("article")
        st.session_state.center_on = st.session_state.place


def sync_url() -> None:
    want = {k: v for k in ("place", "article") if (v := st.session_state.get(k))}
    if dict(st.query_params) != want:
        st.query_params.from_dict(want)
