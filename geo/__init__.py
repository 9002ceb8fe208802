"""Corpus Atlas: put the places of a corpus of Chinese regional news on a map.

Pipeline, one module per stage: corpus → gazetteer → mentions/resolve → metrics → layers/mapview
→ export; ``cli`` and ``app.py`` are thin shells over it.
"""
__version__ = "0.1.0"
