"""The kernel process's own output, kept off the terminal.

A kernel writes its log to its standard error: after a cell ran past ``--timeout``,
nbclient shuts the kernel down while it still answers the cell, and ipykernel logs a
``ZMQError`` traceback there. What a cell prints reaches the notebook (ipykernel
captures it), not these streams; so the kernel's standard output and error go to a
file (:data:`FileOutputKernelManager.output_file`), logged at DEBUG when the notebook
is done (``toolkit -v`` shows it).

papermill creates the kernel manager itself: :func:`toolkit.pipeline.notebook.execute_notebook`
names this class (by its dotted path, so that importing the pipeline imports no
jupyter_client, about 70 ms) and the file in the traitlets configuration it passes on.
"""

from __future__ import annotations

from typing import Any

from jupyter_client.manager import AsyncKernelManager
from traitlets import Unicode


class FileOutputKernelManager(AsyncKernelManager):
    """nbclient's kernel manager with the kernel's stdout and stderr sent to a file."""

    output_file = Unicode("", config=True, help="file the kernel process writes its stdout and stderr to")

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        if not self.output_file:
            await super()._async_launch_kernel(kernel_cmd, **kw)
            return
        with open(self.output_file, "ab") as fh:  # the kernel holds its own copy of the descriptor
            kw.setdefault("stdout", fh)
            kw.setdefault("stderr", fh)
            await super()._async_launch_kernel(kernel_cmd, **kw)

