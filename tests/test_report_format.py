"""Formatting and the HTML helpers: redaction, the Fragment's short text."""

from __future__ import annotations

import json

from report_helpers import TRAINEE_ID, TRAINEE_PHONE

from toolkit.outputs.report.format import Fragment, redact


def test_redact_long_digit_runs():
    assert redact(f"电话{TRAINEE_PHONE}，身份证{TRAINEE_ID}") == "电话［号码已隐去］，身份证［号码已隐去］"
    assert redact("订单 O00012 共 3 笔，金额 1,800 元") == "订单 O00012 共 3 笔，金额 1,800 元"


def test_manifest_style_json_is_plain(tmp_path):
    # the Fragment's text/plain stays short in the executed notebook (not the whole HTML)
    f = Fragment("<p>x</p>" * 1000, "汇总")
    assert len(repr(f)) < 40 and json.dumps(repr(f), ensure_ascii=False)
