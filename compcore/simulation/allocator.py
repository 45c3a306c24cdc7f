"""The C allocator in worker processes: undo settings that make numpy page-fault on every array.

glibc's malloc maps every block of 128 KiB or more fresh from the kernel, then
raises that threshold as blocks are freed, so a loop that makes and frees the
same arrays soon reuses memory instead. Setting ``MALLOC_TRIM_THRESHOLD_`` (or
``MALLOC_MMAP_THRESHOLD_`` / ``MALLOC_TOP_PAD_``) in the environment turns that
sliding threshold off. Dask's nanny does exactly that for its workers
(``distributed.nanny.pre-spawn-environ`` sets ``MALLOC_TRIM_THRESHOLD_=65536``,
and writes it into the starting process's ``os.environ`` too, so a process pool
started later inherits it): every chunk's arrays are then mapped and zeroed
page by page, and a 2-worker cluster runs slower than one process.

:func:`tune_allocator` runs at the start of each chunk (any process, any
executor). When such a variable is set it puts glibc where its own sliding
threshold ends up (blocks up to 32 MiB from the heap, trim above 64 MiB), once
per process. It never touches ``os.environ``; without the variables, or off
glibc, it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os

__all__ = ["tune_allocator"]

#: environment variables with which glibc stops sliding its mmap threshold
_FIXED_BY = ("MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TOP_PAD_")
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameter numbers (malloc.h)
_MMAP_THRESHOLD = 32 * 2**20  # glibc's ceiling for its own sliding threshold on 64-bit
_done: list[bool] = []


def tune_allocator() -> bool:
    """Set glibc's malloc thresholds once per process if the environment had fixed them; True if set.

    Examples
    --------
    >>> tune_allocator() in (True, False)
    True
    """
    if _done:
        return _done[0]
    tuned = False
    if any(v in os.environ for v in _FIXED_BY):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            mallopt = libc.mallopt
        except (OSError, AttributeError):  # not glibc (macOS, Windows, musl without mallopt)
            mallopt = None
        if mallopt is not None:
            tuned = bool(mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD)) & bool(
                mallopt(_M_TRIM_THRESHOLD, 2 * _MMAP_THRESHOLD))
    _done.append(tuned)
    return tuned
