"""The garbage collector's settings for a build's processes: fewer, cheaper collections."""

from __future__ import annotations

import gc

# A layout makes millions of objects, nearly all freed by their reference counts. At Python's
# default thresholds (700, 10, 10) the collector runs thousands of times per PDF and walks
# the whole heap again and again: 15 % of a layout's time, for almost nothing found. With
# these, it runs a few dozen times (a 150-person report: 2364 collections taking 2.6 s, then
# 31 taking 0.4 s; the same peak memory, 574 MB).
THRESHOLDS = (50_000, 20, 10)

_jobs_begun = 0


def relax() -> None:
    """Collect less often in this process (and in the processes it forks), and never again
    look at the objects it holds now (the modules loaded so far): they live until it ends."""
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)


def before_job() -> None:
    """Called as a process begins an output: in a relaxed process, what the outputs before
    it left in reference cycles is freed first, which the rare collections would keep (a
    worker's peak memory grew by a third over two PDFs without it)."""
    global _jobs_begun
    if _jobs_begun and gc.get_threshold() == THRESHOLDS:
        gc.collect()
    _jobs_begun += 1
