"""toolkit.demo.records: generate_frames is deterministic and fast, and refunds refer to
payments."""

from __future__ import annotations

import pandas as pd
from demo_helpers import YEAR, isin

from toolkit.demo import generate_frames


def test_demo_frames_deterministic_and_fast(demo, frames):
    _, elapsed = demo
    assert elapsed < 60  # about 13 s on an idle 2-core machine; loose for shared runners
    again = generate_frames(YEAR, "demo")
    for name, df in frames.items():
        pd.testing.assert_frame_equal(df, again[name], obj=name)


def test_refunds_refer_to_payments(frames):
    assert isin(frames["staff_refunds"]["order_id"], frames["staff_payments"]["order_id"]).all()
    assert isin(frames["professional_refunds"]["order_id"], frames["professional_enrollments"]["order_id"]).all()
    assert frames["staff_payments"]["order_id"].is_unique

