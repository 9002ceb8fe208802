"""The app's Streamlit side, the only package that imports streamlit (app.py is its page).

- ``building``: a corpus folder's store, opened when current, else built by a separate process,
  never by the server.
- ``data``: the store's contents for the page, as SQL on the store cached per filter state.
- ``files``: the server's files: map data published as static files, texts read, uploads.
- ``selection``: the selected place and article, in session state and in the URL.
- ``sidebar``: corpus, filters and place search.
- ``panel``: the selected place's facts, timeline, figures and articles, and the article reader.
"""
