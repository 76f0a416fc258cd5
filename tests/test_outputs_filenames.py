"""Data as file names (toolkit.outputs.filenames): characters cleaned, length bounded
in bytes with room for the temporary name, long names kept apart."""

from __future__ import annotations

import pytest

from toolkit.outputs import filenames


@pytest.mark.parametrize(("text", "expected"), [
    ("长沙开放大学", "长沙开放大学"),
    ("x\u202egpj.exe", "xgpj.exe"),  # a right-to-left override is removed, not shown
    ("王\u200b五\u2066", "王五"),  # zero-width and isolate characters
    ('a<b>:"c/d\\e|f?g*h', "a_b___c_d_e_f_g_h"),
    ("王\x07五\x7f", "王_五_"),  # control characters
    ("名\t称\u3000甲\u2028乙", "名 称 甲 乙"),  # white space and separators
    ("\U00020000\ue000", "\U00020000\ue000"),  # four-byte and private-use characters are letters
])
def test_clean_chars(text, expected):
    assert filenames.clean_chars(text) == expected


def test_a_long_name_is_cut_in_bytes_and_two_long_names_stay_two():
    a, b = "\U00020000" * 80 + "甲", "\U00020000" * 80 + "乙"
    fa, fb = filenames.fit(a, ".docx"), filenames.fit(b, ".docx")
    assert fa != fb and fa.endswith(".docx") and fa.startswith("\U00020000" * 50)
    assert len(fa.encode("utf-8")) <= filenames.MAX_NAME_BYTES == 255 - 14
    assert filenames.fit("附件2_长沙", ".docx") == "附件2_长沙.docx"  # a name that fits is unchanged


def test_the_temporary_prefix_leaves_room_for_its_suffix():
    prefix = filenames.temp_prefix("长" * 85)
    assert len((prefix + "abcdefgh.tmp").encode("utf-8")) <= 255 and prefix.startswith(".长")
