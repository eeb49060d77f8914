"""Helper processes end with the build that started them.

A killed build must not leave MkDocs jobs, PDF printers or Pagefind behind: they would hold
the build lock and keep writing into the folders the next build cleans up. On Linux, each asks
the kernel for SIGKILL when its parent dies (prctl PR_SET_PDEATHSIG, kept across exec); on
other systems they end with their pools or pipes as usual. Small on purpose: Pagefind's
launcher imports it before anything else.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Be killed when the parent process dies (call it first thing in the child)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the helper ends with its pool or pipe
        return
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)
