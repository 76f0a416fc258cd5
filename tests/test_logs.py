"""The libraries' logs (toolkit.logs): their progress chatter is quiet, their warnings
and errors pass, and an error a run reports itself is said once."""

from __future__ import annotations

from toolkit import logs


def test_library_progress_logs_are_quiet_but_warnings_pass(caplog):
    import logging

    names = ["", *logs.CHATTY_LOGGERS]
    saved = {n: logging.getLogger(n).level for n in names}
    try:
        for n in logs.CHATTY_LOGGERS:
            logging.getLogger(n).setLevel(logging.NOTSET)
        logging.getLogger().setLevel(logging.INFO)
        logs.quiet_library_logs()
        with caplog.at_level(logging.INFO):
            logging.getLogger("weasyprint.progress").info("Step 2 - Fetching and parsing CSS")
            logging.getLogger("papermill").info("Input Notebook: x")
            logging.getLogger("weasyprint").warning("Ignored `foo: bar`")
            logging.getLogger("toolkit.pipeline.run").info("stage pdf")
        assert [(r.name, r.levelname) for r in caplog.records] == [
            ("weasyprint", "WARNING"), ("toolkit.pipeline.run", "INFO")]
        # -v: the root logger at DEBUG leaves the libraries as they are
        logging.getLogger("papermill").setLevel(logging.NOTSET)
        logging.getLogger().setLevel(logging.DEBUG)
        logs.quiet_library_logs()
        assert logging.getLogger("papermill").level == logging.NOTSET
    finally:
        for n, level in saved.items():
            logging.getLogger(n).setLevel(level)


def test_the_timeout_line_of_nbclient_is_said_once_by_the_toolkit(caplog):
    import logging

    pm_log = logging.getLogger("papermill")
    saved = list(pm_log.filters)
    try:
        logs.quiet_library_logs()
        logs.quiet_library_logs()
        assert sum(isinstance(f, logs.RepeatedErrors) for f in pm_log.filters) == 1
        with caplog.at_level(logging.INFO):
            pm_log.error("Timeout waiting for execute reply (2s).")
            pm_log.error("Kernel died")
        assert [r.getMessage() for r in caplog.records] == ["Kernel died"]
    finally:
        pm_log.filters[:] = saved
