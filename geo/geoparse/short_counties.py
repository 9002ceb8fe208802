"""Counties named by one character and 县 (涉县, 曹县, 萧县, 沛县): names, not words, where the
text writes them as a word of their own.

A full name of two characters is held to need evidence (城区, 新村 are words), and so these were
read only with a parent in front (河北省涉县). But X县 is a word only inside a longer one: 示范县
(范县), 担任县委 (任县), 振兴县域 (兴县), 省、市和县三级 (和县). jieba's dictionary has the
counties as words, so the name is read when the segmentation of the few characters around it
gives it as one word — 在涉县王金庄村 yes, 示范县 no — after a break or a preposition, verb of
motion or conjunction (在, 到, 赴, 走进, 和, 、), not after another word (旅游兴县 and 科技兴县 are
slogans, and 兴县 is a county of 山西 too). Written after its province or city it is read anyway.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo.geoparse.words import common_words, word_bounds

if TYPE_CHECKING:
    from geo.geoparse.matches import RawMatch

#: The characters a county's name may follow in running text (在涉县, 走进涉县, 和沛县, 、萧县).
_BEFORE = frozenset("在到于赴往从自至经的和与及同、进过去来是为由")


def county_word(m: RawMatch, text: str, base: int) -> bool:
    """Whether the county ``m`` (one character + 县) is written in ``text`` as a word of its own."""
    surface, start, end = m.entry.surface, m.start - base, m.end - base
    if len(surface) != 2 or surface[1] != "县" or surface in common_words():
        return False
    if start > 0 and "\u4e00" <= text[start - 1] <= "\u9fff" and text[start - 1] not in _BEFORE:
        return False
    lo = max(0, start - 3)
    bounds = word_bounds(text[lo : end + 3])
    return start - lo in bounds and end - lo in bounds and start + 1 - lo not in bounds
