"""The app's Streamlit side, the only package that imports streamlit (app.py is its page).

- ``data``: the store's contents for the page, as SQL on the store cached per filter state; a
  corpus without a store is built by a separate process, never by the server.
- ``files``: the server's files: map data published as static files, texts read, uploads.
- ``selection``: the selected place and article, in session state and in the URL.
- ``sidebar``: corpus, filters and place search.
- ``panel``: the selected place's facts, timeline, figures and articles, and the article reader.
"""
