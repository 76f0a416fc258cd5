"""The terminal's messages in the user's language (docs/messages.md): Simplified Chinese by
default, also under the C and POSIX locales and with none (cron); English with --lang en
or an English locale; a mistyped option or command named with the nearest ones; every
message of the code translated in the catalogue, and the shipped .mo compiled from it."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit import i18n
from toolkit.cli import main
from toolkit.exceptions import InputError

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "toolkit" / "locale" / "zh_CN" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.fixture
def language():
    """Restores the suite's language (English, tests/conftest.py) after a test that sets one."""
    yield i18n.set_language
    i18n.set_language("en")


def _toolkit(*args, **env_locale):
    """``python -m toolkit ARGS`` with exactly the locale variables given (none: unset)."""
    env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARIABLES}
    env.update(env_locale)
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "toolkit", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT)


@pytest.mark.parametrize("env, expected", [
    ({}, "zh"),  # no locale at all, as under cron
    ({"LANG": "C"}, "zh"),
    ({"LC_ALL": "POSIX"}, "zh"),
    ({"LANG": "C.UTF-8"}, "zh"),
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "de_DE.UTF-8"}, "zh"),  # neither language: the default
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LC_MESSAGES": "en_GB.UTF-8", "LANG": "C"}, "en"),
    ({"LC_ALL": "C", "LC_MESSAGES": "en_US.UTF-8"}, "zh"),  # LC_ALL comes first
    ({"LANGUAGE": "en", "LANG": "zh_CN.UTF-8"}, "en"),
    ({"LANGUAGE": "zh_CN:en", "LANG": "en_US.UTF-8"}, "zh"),
    ({"LANGUAGE": "fr:en_US"}, "en"),  # the first entry the toolkit speaks
    ({"LANGUAGE": "", "LANG": "en_US.UTF-8"}, "en"),
])
def test_language_from_the_locale(env, expected):
    assert i18n.language_from_env(env) == expected


@pytest.mark.parametrize("env", [{}, {"LANG": "C"}, {"LANG": "POSIX", "LC_ALL": "C"}])
def test_a_user_error_is_in_chinese_by_default(env, tmp_path):
    absent = tmp_path / "absent"
    out = _toolkit("validate", "--year", "2022", "--data-dir", str(absent), **env)
    assert out.returncode == 2
    assert out.stderr == (f"toolkit：错误：数据文件夹 {absent} 不存在或不是文件夹。"  # the folder's name as it is
                          "请用 --data-dir 指定，或将该年度的文件放在 data/<year>/ 下\n"), out.stderr


@pytest.mark.parametrize("args, env", [(("--lang", "en"), {}), (("--lang=en",), {"LANG": "zh_CN.UTF-8"}),
                                       ((), {"LC_MESSAGES": "en_US.UTF-8"})])
def test_english_on_request(args, env, tmp_path):
    out = _toolkit(*args, "validate", "--year", "2022", "--data-dir", str(tmp_path / "absent"), **env)
    assert out.returncode == 2
    assert out.stderr.startswith(f"toolkit: error: the data folder {tmp_path / 'absent'} does not exist"), out.stderr


def test_lang_zh_wins_over_an_english_locale(tmp_path):
    out = _toolkit("--lang", "zh", "validate", "--year", "2022", "--data-dir", str(tmp_path / "absent"),
                   LANG="en_US.UTF-8")
    assert out.stderr.startswith("toolkit：错误：数据文件夹 ") and "不存在或不是文件夹" in out.stderr


@pytest.mark.parametrize("argv, zh, en", [
    (["run", "--yaer", "2022"], "toolkit run：错误：未知的选项 --yaer；是否指 --year 或 --years？",
     "toolkit run: error: unknown option --yaer; did you mean --year or --years?"),
    (["--quite", "validate", "--year", "2022"], "toolkit：错误：未知的选项 --quite；是否指 --quiet？",
     "toolkit: error: unknown option --quite; did you mean --quiet?"),
    (["validate", "--year", "2022", "--no-cahce"], "toolkit：错误：未知的选项 --no-cahce；是否指 --no-cache？",
     "toolkit: error: unknown option --no-cahce; did you mean --no-cache?"),
    (["rnu", "--year", "2022"], "toolkit：错误：未知的命令 rnu；是否指 run？",
     "toolkit: error: unknown command rnu; did you mean run?"),
])
def test_a_mistyped_option_or_command_is_named_with_the_nearest(argv, zh, en, capsys, monkeypatch, language):
    for name in LOCALE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for lang, said in ((None, zh), ("en", en)):
        with pytest.raises(SystemExit) as exit_:
            main([*(["--lang", lang] if lang else []), *argv])
        assert exit_.value.code == 2
        err = capsys.readouterr().err
        assert err.splitlines()[-1] == said, err


def test_argparse_speaks_chinese_too(capsys, monkeypatch, language):
    monkeypatch.setenv("LANG", "C")
    monkeypatch.delenv("LANGUAGE")
    with pytest.raises(SystemExit):
        main(["run"])
    err = capsys.readouterr().err
    assert err.startswith("用法：toolkit run")
    assert err.splitlines()[-1] == "toolkit run：错误：参数 --year --years 必须提供其中之一"
    with pytest.raises(SystemExit):
        main(["run", "-h"])
    out = capsys.readouterr().out
    assert "显示本帮助并退出" in out and "评选年度，如 2022" in out


def test_main_leaves_argparse_as_it_found_it(capsys):
    import argparse
    import gettext

    with pytest.raises(SystemExit):
        main(["--lang", "zh", "run"])
    capsys.readouterr()
    assert argparse._ is gettext.gettext and argparse.ngettext is gettext.ngettext


def test_importing_the_toolkit_installs_nothing():
    code = ("import argparse, builtins, gettext, toolkit, toolkit.cli, toolkit.i18n, toolkit.exceptions; "
            "assert not hasattr(builtins, '_'); assert argparse._ is gettext.gettext; "
            "assert gettext.textdomain() == 'messages' and not gettext._translations, gettext._translations")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr


def test_the_library_speaks_chinese_unless_told(language):
    error = InputError("bad", file="缴费明细.csv", sheet="Sheet1", row=3, column="金额", value="x",
                       expected="a number", hint="fix it")
    language(None)
    assert str(error) == "bad（文件 缴费明细.csv，工作表 'Sheet1'，第 3 行，'金额' 列）；实际为 'x'；应为 a number。fix it"
    language("en")
    assert str(error) == "bad (file 缴费明细.csv, sheet 'Sheet1', row 3, column '金额'); found 'x'; expected a number. fix it"


# --- the catalogue --------------------------------------------------------------------

def _catalogue():
    from babel.messages.pofile import read_po

    with PO.open("rb") as f:
        return read_po(f)


def _code_messages() -> set:
    """Every msgid the code marks (as ``make messages`` extracts them)."""
    from babel.messages.extract import extract_from_dir

    with (ROOT / "babel.cfg").open(encoding="utf-8") as f:
        from babel.messages.frontend import parse_mapping_cfg

        method_map, options_map = parse_mapping_cfg(f)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(ROOT), method_map, options_map):
        found.add(message)
    return found


def test_every_message_of_the_code_is_translated():
    catalogue = _catalogue()
    missing = []
    for message in _code_messages():
        entry = catalogue.get(message if isinstance(message, str) else message[0])
        strings = () if entry is None else entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if entry is None or entry.fuzzy or not all(strings):
            missing.append(message)
    assert not missing, f"untranslated (make messages, then translate in {PO.relative_to(ROOT)}): {missing}"


def test_translations_keep_the_placeholders():
    brace, percent = re.compile(r"\{(\w*)[^{}]*\}"), re.compile(r"%(?:\((\w+)\))?[sdrg]")
    bad = []
    for entry in _catalogue():
        if not entry.id:
            continue
        msgid = entry.id if isinstance(entry.id, str) else entry.id[0]
        for s in entry.string if isinstance(entry.string, tuple) else (entry.string,):
            if not set(brace.findall(s)) <= set(brace.findall(msgid)) or percent.findall(s) != percent.findall(msgid):
                bad.append((msgid, s))
    assert not bad, bad


def test_the_shipped_mo_is_compiled_from_the_po():
    from babel.messages.mofile import read_mo

    def entries(messages):
        return {tuple(m.id) if isinstance(m.id, (list, tuple)) else m.id:
                tuple(m.string) if isinstance(m.string, (list, tuple)) else m.string for m in messages if m.id}

    with MO.open("rb") as f:
        compiled = entries(read_mo(f))
    written = entries(m for m in _catalogue() if not m.fuzzy)
    assert compiled == written, "toolkit/locale: run make messages (the .mo is older than the .po)"


def test_messages_are_marked_as_literals():
    """``_()`` takes a string literal or a constant marked with ``N_`` (never an f-string:
    Babel cannot extract it and the message would stay English)."""
    bad = []
    for path in (ROOT / "toolkit").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_":
                arg = node.args[0] if len(node.args) == 1 else None
                if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                        or isinstance(arg, ast.Name) and arg.id.isupper() or isinstance(arg, ast.Name) and
                        arg.id in ("hint", "_HINT")):
                    bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not bad, bad
