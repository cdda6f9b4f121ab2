"""Examining returned files ahead of the merge, in a small pool of worker processes.

The merge must be sequential (one writer, one transaction per file, files in saved-at order),
but checking, reading and parsing a file does not depend on the files before it. So while the
sync merges one file, :class:`Prefetch` has up to two workers (forked, each with its own
read-only ledger connection and the same memory and time limits as the isolated reader)
examine the next ones.

Workers skip the scan of every cell reference (the costliest check): a file with a far-away
cell can only make python-calamine abort the worker. That file is then examined again in the
sync with every check, behind the isolated reader, so it gets the same precise finding as
without a pool; a new pool takes the files after it (up to ``RESTARTS`` times).
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
import os
from pathlib import Path
from typing import Any

from sync.examine import ExamineContext, Examined, examine
from toolkit.filesafety import (
    ISOLATED_SECONDS,
    MAX_COLS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    IsolatedReadError,
    limit_reading_process,
    read_sheets,
)
from toolkit.ledger import Ledger

WORKERS = 2
RESTARTS = 3
MIN_FILES = 8
"""Fewer files than this are examined in the sync itself: a pool would cost more than it saves."""

_CONTEXT: ExamineContext | None = None  # in a worker: its own context


class Prefetch:
    """Examine files in worker processes, in order; :meth:`get` gives each result or None
    (None: examine it in the sync instead). Use as a context manager.

    ``jobs`` holds (path, display name, saved-at) per file, or None for a file the sync will
    not need examined (a known duplicate)."""

    def __init__(
        self, jobs: list[tuple[Path, str, str | None] | None], ctx: ExamineContext
    ) -> None:
        self._jobs = jobs
        self._futures: dict[int, cf.Future[Examined | None]] = {}
        self._pool: cf.ProcessPoolExecutor | None = None
        self._restarts = 0
        self._workers = min(WORKERS, os.cpu_count() or 1)
        if sum(j is not None for j in jobs) < MIN_FILES or self._workers < 2:
            return
        if not hasattr(os, "fork"):
            return
        global _CONTEXT
        _CONTEXT = ctx  # inherited by the forked workers, which replace its ledger
        self._start(0)

    def __enter__(self) -> Prefetch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, index: int) -> Examined | None:
        """The worker's result for job ``index``, or None (the sync examines it itself)."""
        future = self._futures.pop(index, None)
        if future is None:
            return None
        try:
            return future.result(timeout=ISOLATED_SECONDS)
        except Exception:  # a worker died or stalled: this file goes to the sync itself
            self.close(kill=True)
            if self._restarts < RESTARTS:
                self._restarts += 1
                self._start(index + 1)
            return None

    def close(self, kill: bool = False) -> None:
        """Stop the workers (at once with ``kill``)."""
        pool, self._pool = self._pool, None
        self._futures = {}
        if pool is None:
            return
        if kill:
            # The executor keeps its processes private; a stalled one must still be ended.
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                with contextlib.suppress(Exception):
                    process.kill()
        pool.shutdown(wait=True, cancel_futures=True)

    def _start(self, first: int) -> None:
        context = multiprocessing.get_context("fork")
        self._pool = cf.ProcessPoolExecutor(
            self._workers, mp_context=context, initializer=_start_worker
        )
        for i in range(first, len(self._jobs)):
            job = self._jobs[i]
            if job is not None:
                self._futures[i] = self._pool.submit(_work, str(job[0]), job[1], job[2])


class _DirectReader:
    """Inside a worker, read in the worker itself: it is the limited process."""

    def read(self, path: Path) -> Any:
        try:
            sheets = read_sheets(path)
        except MemoryError:
            raise IsolatedReadError(
                "reading it needed more memory than allowed", limit=True
            ) from None
        except Exception as exc:
            raise IsolatedReadError(f"{type(exc).__name__}: {str(exc)[:200]}") from None
        for _, _, rows in sheets:
            if len(rows) > MAX_ROWS or any(len(row) > MAX_COLS for row in rows):
                raise _NeedsFullChecks  # the sync's own checks give the precise finding
        return sheets


class _NeedsFullChecks(Exception):
    """A sheet reaches beyond the limits that the skipped extent scan would have refused."""


def _start_worker() -> None:  # pragma: no cover - runs in a worker
    from dataclasses import replace

    global _CONTEXT
    assert _CONTEXT is not None
    limit_reading_process()
    # A SQLite connection must not cross a fork: each worker opens its own.
    _CONTEXT = replace(_CONTEXT, ledger=Ledger(_CONTEXT.ledger.path), _cache={})


def _work(path: str, name: str, saved_at: str | None) -> Examined | None:  # pragma: no cover
    assert _CONTEXT is not None
    source = Path(path)
    if source.stat().st_size > MAX_FILE_BYTES:
        return None
    data = source.read_bytes()
    from sync.containers import container_kind

    if container_kind(data, name):
        return None  # containers are opened by the sync itself
    try:
        return examine(source, data, name, saved_at, _CONTEXT, _DirectReader(), extents=False)
    except Exception:  # let the sync examine it again and report it as it would
        return None
