"""Formatting and the HTML helpers: redaction, the Fragment's short text."""

from __future__ import annotations

import json

from report_helpers import TRAINEE_ID, TRAINEE_PHONE

from toolkit.outputs.report.format import Fragment, change, fmt_bound, pp_change, redact, signed


def test_redact_long_digit_runs():
    assert redact(f"电话{TRAINEE_PHONE}，身份证{TRAINEE_ID}") == "电话［号码已隐去］，身份证［号码已隐去］"
    assert redact("订单 O00012 共 3 笔，金额 1,800 元") == "订单 O00012 共 3 笔，金额 1,800 元"


def test_manifest_style_json_is_plain(tmp_path):
    # the Fragment's text/plain stays short in the executed notebook (not the whole HTML)
    f = Fragment("<p>x</p>" * 1000, "汇总")
    assert len(repr(f)) < 40 and json.dumps(repr(f), ensure_ascii=False)


def test_changes_never_show_a_negative_zero_and_follow_the_shown_values():
    assert pp_change(0.012804, 0.012556) == "\u22120.02 个百分点"  # 1.28% → 1.26%
    assert pp_change(0.0150001, 0.0149999) == "+0.00 个百分点"
    assert signed(-0.0001, 2) == "+0.00" and signed(-0.5, 1) == "\u22120.5"
    assert change(1000, 999.9) == "+0.0%" and change(100, 90) == "\u221210.0%"
    assert fmt_bound(">=", 0, "months") == "已签订"
    assert fmt_bound(">=", 5000000, "yuan") == "≥ 500万元"
    assert fmt_bound(">=", 5000000, "yuan", wan=False) == "≥ 5,000,000元"
