"""The libraries' own log lines: a run's log carries the toolkit's stage lines, and the
libraries' warnings and errors, not their progress chatter."""

from __future__ import annotations

import logging

#: libraries whose INFO lines are progress chatter ("Step 2 - Fetching and parsing CSS",
#: papermill's "Input Notebook: ..."): a scheduled run's log carries our stage lines only
CHATTY_LOGGERS = ("weasyprint", "fontTools", "papermill", "traitlets", "nbconvert", "matplotlib",
                  "PIL", "asyncio", "filelock")


class RepeatedErrors(logging.Filter):
    """Drops the library error lines that a run's error (``toolkit.exceptions.RunError``) says again: nbclient's
    "Timeout waiting for execute reply" (logged through papermill's logger)."""

    PREFIXES = ("Timeout waiting for execute reply",)

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(self.PREFIXES)


def quiet_library_logs(level: int = logging.WARNING) -> None:
    """Raise :data:`CHATTY_LOGGERS` to ``level`` (warnings and errors still pass, but
    for :class:`RepeatedErrors`), unless the root logger is at DEBUG (``toolkit -v``):
    then everything is shown. A logger already set higher is left alone."""
    if logging.getLogger().getEffectiveLevel() <= logging.DEBUG:
        return
    for name in CHATTY_LOGGERS:
        lg = logging.getLogger(name)
        if lg.level < level:
            lg.setLevel(level)
    pm_log = logging.getLogger("papermill")
    if not any(isinstance(f, RepeatedErrors) for f in pm_log.filters):
        pm_log.addFilter(RepeatedErrors())
