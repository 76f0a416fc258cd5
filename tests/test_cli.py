"""The command line's contract: parsing, exit codes, and error messages."""

import subprocess
import sys

import pytest

from toolkit.cli import build_parser, main


def run_cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "toolkit", *args], capture_output=True, text=True, cwd=cwd
    )


def test_help_lists_every_command():
    out = run_cli("--help")
    assert out.returncode == 0
    for command in ("run", "validate", "demo-data", "forms"):
        assert command in out.stdout


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "--year", "twenty"],
        ["run", "--year", "1899"],
        ["run"],
        ["run", "--year", "2022", "--format", "docx"],
        ["validate", "--year", "2022;rm -rf /"],
        ["frobnicate"],
    ],
)
def test_bad_parameters_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "error" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "expected"),
    [("html", ("html",)), ("html,pdf", ("html", "pdf")), (" PDF ", ("pdf",))],
)
def test_format_values(text, expected):
    args = build_parser().parse_args(["run", "--year", "2022", "--format", text])
    assert args.format == expected


def test_run_defaults_follow_the_interface():
    args = build_parser().parse_args(["run", "--year", "2022"])
    assert args.format == ("html", "pdf")
    assert args.data_dir is None and args.rules is None and args.out is None
    assert not args.per_unit and not args.no_cache


def test_run_engine_option():
    assert build_parser().parse_args(["run", "--year", "2022"]).engine == "duckdb"
    assert build_parser().parse_args(["run", "--year", "2022", "--engine", "spark"]).engine == "spark"
    with pytest.raises(SystemExit):
        build_parser().parse_args(["run", "--year", "2022", "--engine", "sqlite"])


def test_python_dash_m_is_the_console_script():
    out = run_cli("--version")
    assert out.returncode == 0
    assert out.stdout.startswith("toolkit ")


def test_an_unforeseen_error_is_one_line_and_exit_1(monkeypatch, capsys):
    from toolkit.pipeline import run

    def broken(*args, **kwargs):
        raise RuntimeError("something nobody foresaw")

    monkeypatch.setattr(run, "run_year", broken)
    assert main(["run", "--year", "2022"]) == 1
    err = capsys.readouterr().err
    assert err == "toolkit: error: run failed: RuntimeError: something nobody foresaw (toolkit -v shows the details)\n"


@pytest.mark.parametrize("error", ["RuntimeError", "InputError"])
def test_an_error_carrying_line_breaks_and_nul_is_printed_as_one_line(monkeypatch, capsys, error):
    """A cell's NUL bytes and line breaks reached the terminal raw."""
    from toolkit.exceptions import InputError
    from toolkit.pipeline import run

    def broken(*args, **kwargs):
        text = "cell 'a\x00b'\nforged: line\x1b[2J"
        raise RuntimeError(text) if error == "RuntimeError" else InputError(text, file="更\n正.csv")

    monkeypatch.setattr(run, "run_year", broken)
    assert main(["run", "--year", "2022"]) in (1, 2)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.endswith("\n") and err[:-1].isprintable()
    assert "cell 'a\\x00b'\\nforged: line\\x1b[2J" in err


def test_quiet_validate_prints_one_line_and_no_warning(tiny_year, tmp_path):
    """-q (as cron runs it): a successful validate is one summary line, nothing on stderr."""
    from report_helpers import RULES_2022

    out = run_cli("-q", "validate", "--year", "2022", "--data-dir", str(tiny_year), "--rules", str(RULES_2022),
                  "--no-cache", cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
    lines = (out.stdout + out.stderr).strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Year 2022: "), lines
    assert "WARNING" not in out.stdout + out.stderr



@pytest.mark.slow
def test_quiet_run_prints_one_line_and_no_warning(tiny_year, tmp_path):
    """-q run, HTML and PDF: the one line saying where the report is, no stage lines, no
    library's warning (WeasyPrint on the report's CSS or fonts)."""
    from report_helpers import RULES_2022

    out = run_cli("-q", "run", "--year", "2022", "--data-dir", str(tiny_year), "--rules", str(RULES_2022),
                  "--out", str(tmp_path / "out"), "--no-cache", cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
    lines = (out.stdout + out.stderr).strip().splitlines()
    assert lines == [f"report for 2022 written to {tmp_path / 'out'}"], lines
    assert (tmp_path / "out" / "evaluation.pdf").is_file()
