"""Where a literary name of a province or city (八闽, 鹏城, 泉城: gazetteer/literary_names.csv) names
the unit in the text: as a word of its own, not inside the name of a street, a mountain, a
facility or a quoted slogan. Such names have the candidate kind ``literary``; evidence.py asks
this before it reads one."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from geo.geoparse.countries import stands_alone
from geo.geoparse.cues import facility_after, name_part_after, quoted_brand

if TYPE_CHECKING:
    from geo.geoparse.recognize import RawMatch


def literary_stands(m: RawMatch, text: str, base: int) -> bool:
    """A literary name names its province or city where it is a word of its own (not 春城 in
    青春城市, 酒城 in 啤酒城, 江右 in 长江右岸) and begins no facility's or park's name (嘉州绿心公园,
    泉城广场), street's or mountain's (泉城路, 三衢山) and no slogan in quotes (“齐鲁粮仓”); inside
    an organisation's name it stays, flagged (齐鲁银行)."""
    s, e = m.start - base, m.end - base
    if name_part_after(text, e) or quoted_brand(text, s, e) or facility_after(text, e, 6):
        return False
    return _MEDIA.match(text, e) is not None or stands_alone(text, s, e)  # (荆楚网: one word to jieba)


#: After a literary name these make it a news outlet's name (羊城晚报, 荆楚网, 齐鲁晚报, 燕赵都市报):
#: the mention stays, flagged in_org, as the frozen sets annotate 羊城 in 羊城晚报.
_MEDIA = re.compile(r"网|晚报|日报|早报|都市报|商报|卫视|电视台|广播电视台|传媒")


def literary_in_org(m: RawMatch, text: str, base: int) -> RawMatch:
    """``m`` flagged in_org where a news outlet's name follows (羊城|晚报), else ``m`` itself."""
    if m.in_org or _MEDIA.match(text, m.end - base) is None:
        return m
    return m._replace(in_org=True)
