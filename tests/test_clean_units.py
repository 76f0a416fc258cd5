"""The unit registry and unit resolution (toolkit.clean.units)."""

from __future__ import annotations

import pytest
from clean_helpers import ledger, pay, q
from ingest_helpers import UNITS, load, minimal_year

from toolkit.exceptions import RegistryError


def test_units_resolve_by_id_name_alias(tmp_path):
    rows = pay(
        ("P1", "T", "U001", "1", "2022-03-01", "成功"),
        ("P2", "T", "长沙开放大学", "1", "2022-03-01", "成功"),
        ("P3", "T", "长沙 电大", "1", "2022-03-01", "成功"),
        ("P4", "T", "株洲开放大学(分校)", "1", "2022-03-01", "成功"),
        ("P5", "T", "株洲开放大学（分校）", "1", "2022-03-01", "成功"),
        ("P6", "T", "湘潭广播电视大学", "1", "2022-03-01", "成功"),
        ("P7", "T", "Ｕ００３", "1", "2022-03-01", "成功"),
        ("P8", "T", "长沙开发大学", "1", "2022-03-01", "成功"),
    )
    yd = load(minimal_year(tmp_path, staff_payments=rows))
    used = yd.tables["staff_payments"].set_index("order_id")["unit_id"]
    assert used.to_dict() == {"P1": "U001", "P2": "U001", "P3": "U001", "P4": "U002", "P5": "U002",
                              "P6": "U003", "P7": "U003"}
    bad = q(yd, "staff_payments").iloc[0]
    assert (bad["reason"], bad["row"], bad["column"], bad["value"]) == (
        "unknown_unit", 9, "unit", "长沙开发大学")
    assert bad["suggestion"].split("; ")[0] == "长沙开放大学"
    assert len(bad["suggestion"].split("; ")) == 3


def test_registry_duplicate_id(tmp_path):
    units = [*UNITS, ["U001", "另一个单位", ""]]
    with pytest.raises(RegistryError) as e:
        load(minimal_year(tmp_path, units=units))
    assert "U001" in str(e.value) and "rows 2 and 5" in str(e.value) and "units.csv" in str(e.value)
    assert e.value.exit_code == 2


def test_registry_shared_alias(tmp_path):
    units = [*UNITS, ["U004", "岳阳开放大学", "长沙电大"]]
    with pytest.raises(RegistryError) as e:
        load(minimal_year(tmp_path, units=units))
    assert "长沙电大" in str(e.value) and "U001" in str(e.value) and "U004" in str(e.value)


def test_registry_exact_duplicate_row_is_only_excluded(tmp_path):
    yd = load(minimal_year(tmp_path, units=[*UNITS, UNITS[1]]))
    assert ledger(yd, "units")["excluded"] == {"duplicate": 1}


def test_units_table_chinese_headers(tmp_path):
    units = [["单位编码", "单位名称", "曾用名", "层级", "上级单位编码"],
             ["U001", "长沙开放大学", "长沙电大，长沙分校", "市级", ""],
             ["U002", "株洲开放大学", "", "市级", "U001"]]
    yd = load(minimal_year(tmp_path, units=units))
    u = yd.tables["units"]
    assert u["aliases"].tolist() == [["长沙电大", "长沙分校"], []]
    assert u["parent_id"].isna().tolist() == [True, False]
