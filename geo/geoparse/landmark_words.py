"""A listed landmark's name inside another name: an outlet's or a company's (长江|日报, 长江|证券,
趵突泉|啤酒: the mention stays, flagged in_org, as a division inside an organisation's name is) or a
person's (村民张|泰山|表示: no place at all).
"""

from __future__ import annotations

import re

from geo.geoparse.countries import _SURNAMES
from geo.geoparse.matches import RawMatch

#: After a landmark's name these make it a news outlet's, a company's or a brand's name (not 网:
#: 太湖网箱).
_ORG_AFTER = re.compile(
    "日报|晚报|早报|都市报|商报|卫视|电视台|广播电视台|传媒|证券|保险|控股|电力|实业|啤酒|酒业|药业|制药"
)
#: Before a surname, these say a person is named (村民张泰山, 记者李天山); after the name, these
#: say the name was a person's (张泰山表示, 王华山说).
_TITLE_BEFORE = re.compile(
    "(?:记者|通讯员|书记|主任|村民|老人|师傅|先生|女士|同志|校长|局长|县长|镇长|村长|主席|经理|教授|"
    "老师|作者|编辑|摄影|院士|队长|负责人|工作人员|游客|市民|网友)$"
)
_SAYS_AFTER = re.compile("说|表示|介绍|告诉|指出|认为|坦言|笑着|同志|先生|女士|书记|主任|老师|等人|一家")


def landmark_in_org(m: RawMatch, text: str, base: int) -> RawMatch:
    """``m`` flagged in_org where an outlet's or a company's name follows (长江|日报), else ``m``."""
    if m.in_org or _ORG_AFTER.match(text, m.end - base) is None:
        return m
    return m._replace(in_org=True)


def landmark_in_person(m: RawMatch, text: str, base: int) -> bool:
    """A two-character landmark after a surname, in a person's name: the surname follows a title
    (村民张|泰山) or the name is followed by what a person says (张|泰山|表示)."""
    s, e = m.start - base, m.end - base
    if e - s != 2 or s < 1 or text[s - 1] not in _SURNAMES:
        return False
    titled = _TITLE_BEFORE.search(text, max(0, s - 6), s - 1) is not None
    return titled or _SAYS_AFTER.match(text, e) is not None
