"""Pair workbooks drawn in full by a few worker processes, given back in the order asked.

XlsxWriter draws a pair workbook in about 25 ms of pure Python, so a build that must draw many
(each shape's template, and in ``build --refresh`` every pair that carries values: see
builders.pair_shapes) spreads them over up to :data:`WORKERS` forked processes. Results come
back in the order asked and each is the file a single process draws, so a parallel build
writes the same bytes as a serial one (tests/test_pair_shapes.py). A workbook that cannot be
written raises the same :class:`~toolkit.errors.WorkbookWriteError`, with the same message,
as in a single process; a worker that dies leaves its workbooks to be drawn in this process.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool

from builders.pair import PairContext, render_pair_workbook
from toolkit.contract import Contract
from toolkit.errors import WorkbookWriteError
from toolkit.framework import Framework

WORKERS = 4
"""At most this many workers (no more than the machine's cores)."""
MIN_DRAWINGS = 8
"""Fewer drawings than this are made in this process: starting workers would cost more."""

_JOB: tuple[Contract, Framework, str] | None = None  # what the forked workers draw with


class Drawings:
    """Draws pair workbooks for one build; use as a context manager (it stops its workers)."""

    def __init__(self, contract: Contract, framework: Framework, secret: str) -> None:
        self.job = (contract, framework, secret)
        self._pool: cf.ProcessPoolExecutor | None = None

    def __enter__(self) -> Drawings:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def draw(self, contexts: list[PairContext]) -> Iterator[bytes]:
        """Each context's workbook, in order, drawn in the workers when there are enough;
        raises WorkbookWriteError at the first that cannot be written."""
        for result in self._results(contexts):
            if isinstance(result, WorkbookWriteError):
                raise result
            yield result

    def attempt(self, contexts: list[PairContext]) -> Iterator[bytes | None]:
        """As :meth:`draw`, with None for each workbook that cannot be written."""
        for result in self._results(contexts):
            yield None if isinstance(result, WorkbookWriteError) else result

    def _results(self, contexts: list[PairContext]) -> Iterator[bytes | WorkbookWriteError]:
        pool = self._open() if len(contexts) >= MIN_DRAWINGS else None
        if pool is None:
            yield from (self._draw_here(ctx) for ctx in contexts)
            return
        futures = [pool.submit(_draw, ctx) for ctx in contexts]
        for ctx, future in zip(contexts, futures, strict=True):
            try:
                yield future.result()
            except WorkbookWriteError as exc:
                yield exc
            except BrokenProcessPool:  # a worker was killed: draw it here, as without workers
                yield self._draw_here(ctx)

    def close(self) -> None:
        """Stop the workers, if any were started."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def _draw_here(self, ctx: PairContext) -> bytes | WorkbookWriteError:
        try:
            return render_pair_workbook(ctx, *self.job)
        except WorkbookWriteError as exc:
            return exc

    def _open(self) -> cf.ProcessPoolExecutor | None:
        workers = min(WORKERS, os.cpu_count() or 1)
        if self._pool is None and workers > 1 and hasattr(os, "fork"):
            global _JOB
            _JOB = self.job  # inherited by the forked workers: nothing to pickle per workbook
            context = multiprocessing.get_context("fork")
            self._pool = cf.ProcessPoolExecutor(workers, mp_context=context)
        return self._pool


def _draw(ctx: PairContext) -> bytes:  # pragma: no cover - runs in a worker
    assert _JOB is not None
    return render_pair_workbook(ctx, *_JOB)
