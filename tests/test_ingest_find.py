"""Finding a year's files: every accepted file name and suffix, ignored files, and the
errors for duplicate and missing tables."""

from __future__ import annotations

import pytest
from ingest_helpers import PAYMENTS, load, minimal_year, write_table

from toolkit.exceptions import DuplicateTableError, InputError, MissingTableError
from toolkit.ingest import contract
from toolkit.ingest.find import (
    corrections_file,
    find_files,
    probable_table,
    review_folder,
    unmatched_files,
    year_inputs,
)

ALL_STEMS = [(name, stem) for name, t in contract.TABLES.items() for stem in (name, *t.file_names)]


@pytest.mark.parametrize("table, stem", ALL_STEMS)
def test_every_file_name_is_found(tmp_path, table, stem):
    d = minimal_year(tmp_path, skip=(table,))
    (d / f"{stem}.csv").write_text("x\n", encoding="utf-8")
    assert find_files(d)[table].name == f"{stem}.csv"


@pytest.mark.parametrize("suffix", [".csv", ".CSV", ".xlsx", ".XLSX", ".xls", ".Xls", ".parquet",
                                    ".PARQUET", ".ods", ".xlsm", ".XLSB", ".et", ".ET"])
def test_suffixes_case_insensitive(tmp_path, suffix):
    d = minimal_year(tmp_path, skip=("staff_payments",))
    (d / f"缴费明细{suffix}").write_bytes(b"x")
    assert find_files(d)["staff_payments"].name == f"缴费明细{suffix}"


def test_unknown_files_ignored(tmp_path):
    d = minimal_year(tmp_path)
    (d / "notes.csv").write_text("a\n", encoding="utf-8")
    (d / "缴费明细.txt").write_text("a\n", encoding="utf-8")
    (d / "~$缴费明细.xlsx").write_bytes(b"lock")
    found = find_files(d)
    assert found["staff_payments"].name == "staff_payments.csv"
    assert "notes" not in {p.stem for p in found.values()}


def test_duplicate_table_names_both(tmp_path):
    d = minimal_year(tmp_path)
    (d / "缴费明细.xlsx").write_bytes(b"x")
    with pytest.raises(DuplicateTableError) as e:
        find_files(d)
    assert "staff_payments.csv" in str(e.value) and "缴费明细.xlsx" in str(e.value)
    assert e.value.exit_code == 2


def test_missing_table_names_accepted_files(tmp_path):
    d = minimal_year(tmp_path, skip=("staff_refunds",))
    with pytest.raises(MissingTableError) as e:
        find_files(d)
    msg = str(e.value)
    assert "staff_refunds" in msg and "退费明细" in msg and "事业单位退费明细" in msg and "xlsx" in msg


@pytest.mark.parametrize("suffix", [".ods", ".xlsm", ".xlsb", ".et"])
def test_a_required_table_in_an_office_format_is_read_not_missing(tmp_path, suffix):
    """WPS (.et), LibreOffice (.ods), Excel's .xlsm and .xlsb exports of a
    required table were reported as missing from the folder."""
    d = minimal_year(tmp_path, skip=("staff_payments",))
    write_table(d / f"缴费明细{suffix}", PAYMENTS) if suffix != ".xlsb" else \
        (d / "缴费明细.xlsb").write_bytes(b"x")
    assert find_files(d)["staff_payments"].name == f"缴费明细{suffix}"


@pytest.mark.parametrize("name", ["缴费明细.numbers", "缴费明细.xlt", "staff_payments.tsv"])
def test_a_required_table_in_a_format_not_read_is_named(tmp_path, name):
    d = minimal_year(tmp_path, skip=("staff_payments",))
    (d / name).write_bytes(b"x")
    with pytest.raises(MissingTableError) as e:
        find_files(d)
    assert name in str(e.value) and "is not read" in str(e.value) and e.value.exit_code == 2


def test_optional_tables_may_be_absent(tmp_path):
    found = find_files(minimal_year(tmp_path))
    assert not {"complaints", "nominations", "rsvp"} & set(found)


def test_a_link_out_of_the_folder_is_refused(tmp_path):
    """A symbolic link that points outside the data folder is not followed
    (the first line of /etc/passwd appeared in an error message); the message names the
    link and where it points, and shows nothing of the file."""
    outside = tmp_path / "elsewhere" / "secret.csv"
    outside.parent.mkdir()
    outside.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    d = minimal_year(tmp_path / "d", skip=("staff_payments",))
    (d / "缴费明细.csv").symlink_to(outside)
    with pytest.raises(InputError) as e:
        find_files(d)
    msg = str(e.value)
    assert e.value.exit_code == 2
    assert "缴费明细.csv" in msg and str(outside) in msg and "root:x" not in msg


def test_a_link_inside_the_folder_or_followed_on_request(tmp_path):
    d = minimal_year(tmp_path / "d", skip=("staff_payments",))
    (d / "originals").mkdir()
    inside = write_table(d / "originals" / "pay.csv", PAYMENTS)
    (d / "缴费明细.csv").symlink_to(inside)
    assert find_files(d)["staff_payments"].name == "缴费明细.csv"
    outside = write_table(tmp_path / "pay.csv", PAYMENTS)
    (d / "缴费明细.csv").unlink()
    (d / "缴费明细.csv").symlink_to(outside)
    assert find_files(d, follow_links=True)["staff_payments"].name == "缴费明细.csv"
    yd = load(d, follow_links=True)
    assert yd.tables["staff_payments"]["order_id"].tolist() == ["0001", "0002"]


@pytest.mark.parametrize("name, table", [
    ("投诉登记(1).xlsx", "complaints"), ("投诉登记（2）.xlsx", "complaints"),
    ("缴费明细 - 副本.csv", "staff_payments"), ("缴费明细 copy.xlsx", "staff_payments"),
    ("2022年专技退费明细表.xlsx", "professional_refunds"), ("事业单位缴费明细_副本.xls", "staff_payments"),
    ("staff_payment.csv", "staff_payments"), ("投诉登记.txt", "complaints"), ("notes.csv", None),
])
def test_probable_table_of_a_file_that_matches_none(name, table):
    assert probable_table(name) == table


def test_unmatched_files_are_listed(tmp_path):
    d = minimal_year(tmp_path)
    (d / "投诉登记(1).xlsx").write_bytes(b"x")
    (d / "readme.md").write_text("a", encoding="utf-8")
    (d / "~$投诉登记(1).xlsx").write_bytes(b"lock")
    (d / "sub").mkdir()
    assert unmatched_files(d) == [("readme.md", None), ("投诉登记(1).xlsx", "complaints")]


# --- the award cycle's files (docs/review-cycle.md) --------------------------------------


def test_the_cycles_files_are_not_unrecognised_exports(tmp_path):
    (tmp_path / "更正.xlsx").write_bytes(b"x")
    (tmp_path / "评审意见" / "第一组").mkdir(parents=True)
    for name in ("张三.xlsx", "第一组/李四.xlsx", "~$张三.xlsx", ".hidden.xlsx", "说明.docx"):
        (tmp_path / "评审意见" / name).write_bytes(b"x")
    (tmp_path / "其他.xlsx").write_bytes(b"x")
    assert unmatched_files(tmp_path) == [("其他.xlsx", None)]
    assert corrections_file(tmp_path) == tmp_path / "更正.xlsx"
    assert [p.relative_to(tmp_path).as_posix() for p in review_folder(tmp_path).copies] == [
        "评审意见/张三.xlsx", "评审意见/第一组/李四.xlsx"]


def test_review_files_in_upper_case_are_read(tmp_path):
    (tmp_path / "评审意见").mkdir()
    for name in ("张三.XLSX", "李四.Xlsx", "王五.xlsx"):
        (tmp_path / "评审意见" / name).write_bytes(b"x")
    assert [p.name for p in review_folder(tmp_path).copies] == ["张三.XLSX", "李四.Xlsx", "王五.xlsx"]


@pytest.mark.parametrize("name", ["张三.xls", "李四.XLSM", "王五.et", "赵六.csv", "孙七"])
def test_every_copy_under_the_review_folder_is_an_input_of_the_year(tmp_path, name):
    """A copy in any spreadsheet format (read, or refused when read), and a workbook
    without a suffix, is an input of the year: adding or changing it makes the year run
    again (``year_inputs``), it is never left out unnoticed."""
    import openpyxl

    d = minimal_year(tmp_path)
    (d / "评审意见" / "组").mkdir(parents=True)
    (d / "评审意见" / "王五.xlsx").write_bytes(b"x")
    (d / "评审意见" / "说明.pdf").write_bytes(b"%PDF")
    path = d / "评审意见" / "组" / name
    if name == "孙七":
        openpyxl.Workbook().save(path)
    else:
        path.write_bytes(b"x")
    reviews = {k for k in year_inputs(d) if k.startswith("评审意见/")}
    assert reviews == {"评审意见/王五.xlsx", f"评审意见/组/{name}"}


def test_two_corrections_files_name_both(tmp_path):
    (tmp_path / "更正.xlsx").write_bytes(b"x")
    (tmp_path / "corrections.xlsx").write_bytes(b"x")
    (tmp_path / "none").mkdir()
    assert corrections_file(tmp_path / "none") is None
    with pytest.raises(DuplicateTableError, match="corrections.xlsx and 更正.xlsx"):
        corrections_file(tmp_path)


@pytest.mark.parametrize("other", ["更正.csv", "更正.xls", "更正.ods", "CORRECTIONS.xlsm", "更正.et"])
def test_a_corrections_file_in_another_format_is_found_and_two_are_named(tmp_path, other):
    (tmp_path / other).write_bytes(b"x")
    assert corrections_file(tmp_path) == tmp_path / other
    (tmp_path / "更正.xlsx").write_bytes(b"x")
    with pytest.raises(DuplicateTableError) as e:
        corrections_file(tmp_path)
    assert other in str(e.value) and "更正.xlsx" in str(e.value) and e.value.exit_code == 2


def test_a_corrections_file_only_in_a_format_not_read_is_an_error_naming_it(tmp_path):
    (tmp_path / "更正.numbers").write_bytes(b"x")
    with pytest.raises(InputError) as e:
        corrections_file(tmp_path)
    assert "更正.numbers" in str(e.value) and e.value.exit_code == 2
    (tmp_path / "更正.xlsx").write_bytes(b"x")  # the signed paper beside the table: left alone
    (tmp_path / "更正.numbers").rename(tmp_path / "更正.pdf")
    assert corrections_file(tmp_path) == tmp_path / "更正.xlsx"
