"""Splitting the form's 联系人姓名、职务、手机号码 into the nominations table's
contact_name, contact_title and contact_phone.

The phone is the one phone number in the text (a mobile ``13812345678``, also written
``138-1234-5678`` or ``138 1234 5678``, or a landline ``0731-84561234``), as written;
a label before it (``手机：``, ``电话``) is dropped. What stands before it splits at
``、``, ``，``, ``,``, ``；``, ``/``, a line break or a space into the name and the title.
Where the text cannot be split that way (no phone, text after the phone, more than
two parts before it), it is kept whole and exactly as written in contact_name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_D = "[0-9０-９]"  # a digit, also full width
_PHONE = re.compile(rf"(?<!{_D})(?:[1１][3-9３-９]{_D}(?:[\s\-－]?{_D}){{8}}|[0０]{_D}{{2,3}}[\s\-－]?{_D}{{7,8}})"
                    rf"(?!{_D})")
_LABEL = re.compile(r"(?:联系)?(?:手机号码|手机号|手机|联系电话|电话|Tel|TEL|tel)\s*[:：]?\s*$")
_SEPARATORS = re.compile(r"[、，,；;/／\s]+")


@dataclass(frozen=True)
class Contact:
    name: str
    title: str
    phone: str


def split_contact(text: str) -> Contact:
    s = (text or "").strip()
    if not s:
        return Contact("", "", "")
    phones = list(_PHONE.finditer(s))
    if len(phones) != 1:
        return Contact(s, "", "")
    m = phones[0]
    after = s[m.end():].strip(" \t\n、，,；;。")
    if after:
        return Contact(s, "", "")
    before = _LABEL.sub("", s[:m.start()].rstrip(" \t\n、，,；;:：")).rstrip(" \t\n、，,；;:：")
    parts = [p for p in _SEPARATORS.split(before) if p]
    if len(parts) > 2 or not parts:
        return Contact(s, "", "") if len(parts) > 2 else Contact("", "", m.group(0))
    if any(unicodedata.category(p[0]).startswith("P") for p in parts):
        return Contact(s, "", "")
    return Contact(parts[0], parts[1] if len(parts) == 2 else "", m.group(0))
