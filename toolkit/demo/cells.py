"""How values are rendered messily, as the branch schools' exports have them: headers
from the contract's aliases, times in seven notations (date cells and Excel serials in
workbooks), amounts as ¥180 or １８０, unit names as aliases with stray spaces, status
words."""

from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.demo.clock import PAD2, time_parts
from toolkit.demo.units import Unit
from toolkit.ingest import contract

_P1 = np.array([str(i) for i in range(100)], dtype=object)


def column_header(table: str, column: str, i: int = 0) -> str:
    """Header for a column: its i-th Chinese alias from the contract."""
    if column == "unit":
        return contract.UNIT_ALIASES[i]
    c = contract.TABLES[table].column(column)
    return c.aliases[i] if c.aliases else c.name


_FW = str.maketrans("0123456789.", "０１２３４５６７８９．")


def fmt_times(t: pd.Series, forms: np.ndarray) -> np.ndarray:
    """Render times in one of seven notations per row (see the data contract)."""
    tt = t.to_numpy().astype("datetime64[s]")
    Y, M, D, h, mi, s = time_parts(tt)
    ys = Y.astype(str).astype(object)
    out = np.empty(len(tt), dtype=object)
    for f in np.unique(forms):
        m = forms == f
        y_, M_, D_, h_, mi_, s_ = ys[m], M[m], D[m], h[m], mi[m], s[m]
        if f == 0:
            v = y_ + "-" + PAD2[M_] + "-" + PAD2[D_] + " " + PAD2[h_] + ":" + PAD2[mi_] + ":" + PAD2[s_]
        elif f == 1:
            v = y_ + "/" + _P1[M_] + "/" + _P1[D_] + " " + _P1[h_] + ":" + PAD2[mi_]
        elif f == 2:
            v = y_ + "年" + _P1[M_] + "月" + _P1[D_] + "日"
        elif f == 3:
            v = y_ + PAD2[M_] + PAD2[D_]
        elif f == 4:
            v = y_ + "-" + PAD2[M_] + "-" + PAD2[D_] + "T" + PAD2[h_] + ":" + PAD2[mi_] + ":" + PAD2[s_]
        elif f == 5:
            v = y_ + "." + _P1[M_] + "." + _P1[D_] + " " + PAD2[h_] + ":" + PAD2[mi_] + ":" + PAD2[s_]
        else:
            v = y_ + "年" + _P1[M_] + "月" + _P1[D_] + "日 " + _P1[h_] + "时" + PAD2[mi_] + "分"
        out[m] = v
    return out


def _excel_serial(t: pd.Series) -> np.ndarray:
    secs = t.to_numpy().astype("datetime64[s]").astype(np.int64)
    return secs / 86400.0 + 25569.0


def time_cells(t: pd.Series, rng, target: str, p_forms, p_cell=0.0, p_serial=0.0) -> np.ndarray:
    """Text in mixed notations; in workbooks also real date cells and Excel serials."""
    n = len(t)
    nat = t.isna().to_numpy()
    if nat.any():
        t = t.fillna(pd.Timestamp(2000, 1, 1))
    forms = rng.choice(len(p_forms), size=n, p=p_forms)
    out = fmt_times(t, forms)
    r = rng.random(n)  # drawn whatever the target, so text cells agree across formats
    if target == "xlsx" and (p_cell or p_serial):
        cell = r < p_cell
        ser = (r >= p_cell) & (r < p_cell + p_serial)
        if cell.any():
            out[np.flatnonzero(cell)] = list(t[cell].dt.to_pydatetime())
        if ser.any():
            out[ser] = _excel_serial(t[ser])
    out[nat] = None
    return out


def amount_cells(a: pd.Series, rng, target: str, p) -> np.ndarray:
    """plain, 180.00, ¥180, ￥180, 180元, full-width; numbers in workbooks."""
    v = a.to_numpy().astype(np.int64)
    s = v.astype(str).astype(object)
    kind = rng.choice(6, size=len(v), p=p)
    out = s.copy()
    out[kind == 1] = s[kind == 1] + ".00"
    out[kind == 2] = "¥" + s[kind == 2]
    out[kind == 3] = "￥" + s[kind == 3]
    out[kind == 4] = s[kind == 4] + "元"
    fw = np.flatnonzero(kind == 5)
    out[fw] = [x.translate(_FW) for x in s[fw]]
    big = v >= 10000
    out[big] = [f"{x / 10000:g}万元" for x in v[big]]
    if target == "xlsx":
        num = kind == 0
        out[num & ~big] = v[num & ~big].tolist()
    return out


def unit_cells(units_map: dict[str, Unit], col: pd.Series, rng, p_alias=0.03, p_space=0.03,
               p_id=0.0) -> np.ndarray:
    """Unit names as exports have them: mostly the name, some aliases (with full-width
    brackets), stray spaces, sometimes the id; unknown (misspelt) values kept as they are."""
    vals = col.to_numpy(dtype=object)
    names = {k: u.name for k, u in units_map.items()}
    out = pd.Series(vals).map(names).to_numpy(dtype=object)
    unknown = pd.isna(out)
    out[unknown] = vals[unknown]
    r = rng.random(len(vals))
    known = ~unknown
    ia = np.flatnonzero(known & (r < p_alias))
    pick = rng.integers(0, 3, len(ia))
    al = []
    for i, k in zip(ia, pick, strict=True):
        a = units_map[vals[i]].aliases
        bracketed = [x for x in a if "(" in x]  # written with full-width brackets in details
        x = bracketed[0] if bracketed and k else a[k % len(a)]
        al.append(x.replace("(", "（").replace(")", "）"))
    out[ia] = al
    isp = np.flatnonzero(known & (r >= p_alias) & (r < p_alias + p_space))
    how = rng.integers(0, 4, len(isp))
    sp = []
    for i, k in zip(isp, how, strict=True):
        x = out[i]
        sp.append((x + " ", " " + x, x[:2] + " " + x[2:], x[:2] + "\u3000" + x[2:])[k])
    out[isp] = sp
    iid = known & (r >= p_alias + p_space) & (r < p_alias + p_space + p_id)
    out[iid] = vals[iid]
    return out


def status_cells(status: pd.Series, refunded: np.ndarray, rng) -> np.ndarray:
    """Status words: the contract's success and failure words; 已退款 for some refunded orders."""
    ok_words = np.array(contract.STATUS_WORDS["success"][1:5], dtype=object)  # 成功, 支付成功, 已支付, 已缴费
    bad_words = np.array(contract.STATUS_WORDS["failure"][1:], dtype=object)
    refunded_word = contract.STATUS_WORDS["success"][6]  # 已退款
    n = len(status)
    ok = (status == "success").to_numpy()
    out = np.where(ok, ok_words[rng.choice(4, n, p=[0.1, 0.75, 0.1, 0.05])],
                   bad_words[rng.integers(0, len(bad_words), n)]).astype(object)
    ref = ok & refunded & (rng.random(n) < 0.5)
    out[ref] = refunded_word
    return out
