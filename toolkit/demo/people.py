"""Synthetic personal data: trainee ids, names (a few with characters outside GBK),
18-digit resident ID numbers with a valid check digit, and mobile numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.demo.clock import PAD2, time_parts

_SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
                 "蒋蔡余杜叶程苏魏吕丁任沈姚卢姜钟谭陆汪范金石廖贾夏付方邹熊秦江尹雷侯龙"
                 "段贺毛龚邵万覃向汤欧阳")[:-2] + ["欧阳", "司马"]
_GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文辉海燕鹏"
              "宇浩然思雨欣怡梓涵子轩佳琪俊杰晓东丹阳婷雪梅春生湘楠岚")
RARE_CHARS = ("䶮", "𬌗")  # CJK Ext A / Ext E: GB18030 four-byte codes, outside GBK
_ID_REGIONS = np.array([430102, 430103, 430104, 430105, 430111, 430121, 430181, 430182, 430202,
                        430281, 430302, 430381, 430382, 430405, 430481, 430482, 430503, 430521,
                        430581, 430602, 430681, 430702, 430725, 430802, 430902, 430981, 431002,
                        431081, 431102, 431121, 431202, 431281, 431302, 431381, 431382, 433101])
_PHONE_PREFIX = np.array([130, 131, 132, 133, 135, 136, 137, 138, 139, 150, 151, 152, 153, 155,
                          156, 157, 158, 159, 173, 177, 180, 181, 182, 183, 186, 187, 188, 189, 199])


def trainee_ids(year: int, n: np.ndarray) -> np.ndarray:
    # 12 digits, unique within a year's data set
    return (pd.Series(np.asarray(n, dtype=np.int64) + 10_000_000 + (year % 100) * 100_000_000)
            .astype(str).str.zfill(12).to_numpy(dtype=object))


def synthetic_people(rng, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Synthetic names, 18-digit resident ID numbers (valid check digit) and mobile numbers."""
    sur = np.array(_SURNAMES, dtype=object)[rng.integers(0, len(_SURNAMES), n)]
    g1 = np.array(_GIVEN, dtype=object)[rng.integers(0, len(_GIVEN), n)]
    g2 = np.array(_GIVEN, dtype=object)[rng.integers(0, len(_GIVEN), n)]
    two = rng.random(n) < 0.7
    names = np.where(two, sur + g1 + g2, sur + g1)
    rare = np.flatnonzero(rng.random(n) < 0.0005)
    names[rare] = sur[rare] + np.array(RARE_CHARS, dtype=object)[rare % 2]
    region = _ID_REGIONS[rng.integers(0, len(_ID_REGIONS), n)]
    birth = (np.datetime64("1962-01-01") + rng.integers(0, 38 * 365, n).astype("timedelta64[D]"))
    Y, M, D, *_ = time_parts(birth.astype("datetime64[s]"))
    seqn = rng.integers(0, 1000, n)
    body = np.stack([region // 10 ** k % 10 for k in range(5, -1, -1)]
                    + [Y // 10 ** k % 10 for k in range(3, -1, -1)]
                    + [M // 10, M % 10, D // 10, D % 10]
                    + [seqn // 100, seqn // 10 % 10, seqn % 10], axis=1)
    w = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
    check = np.array(list("10X98765432"), dtype=object)[(body * w).sum(axis=1) % 11]
    digits = (region.astype(str).astype(object) + Y.astype(str).astype(object) + PAD2[M] + PAD2[D]
              + pd.Series(seqn).astype(str).str.zfill(3).to_numpy(dtype=object) + check)
    phones = (_PHONE_PREFIX[rng.integers(0, len(_PHONE_PREFIX), n)] * 100_000_000
              + rng.integers(0, 100_000_000, n)).astype(str).astype(object)
    return names, digits, phones
