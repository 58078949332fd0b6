"""Analysis worker processes: blocking work off the event loop, stoppable at the time limit.

At most ``workers`` tasks run and ``queue`` wait; one more is refused at once with
``Overloaded`` (503) rather than queued without bound. A task still running at its deadline
answers ``AnalysisTimeout`` and its process is killed and replaced (pebble), so no analysis
runs past the limit, whatever the code does: a thread could not be stopped, and one stuck in
C code holding the GIL froze the event loop with it. The event loop only waits on futures.

Workers are forked from a fork server that imported the pipeline once (``forkserver``: this
process has threads, so it is never forked itself), on the first task and after a kill. Each
loads a model on its first task for it (``work.model``: about 1 s), so after a reload the new
one. A pool whose workers cannot start fails the task with ``WorkerFailed`` and starts afresh.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
from collections.abc import Callable
from concurrent.futures import CancelledError
from concurrent.futures.process import BrokenProcessPool
from typing import ParamSpec, TypeVar

from pebble import ProcessExpired, ProcessPool

from credlens.errors import AnalysisTimeout, Overloaded, WorkerFailed
from credlens.service import work

P = ParamSpec("P")
T = TypeVar("T")

#: Seconds a closing pool waits for its workers before they are killed.
CLOSE_GRACE_SECONDS = 5.0

_context = multiprocessing.get_context("forkserver")
# The fork server imports these once; each worker then only loads the bundle.
_context.set_forkserver_preload([work.__name__])


def _nothing() -> None:
    return None


def start_fork_server() -> None:
    """Start the fork server and wait until it has imported the pipeline (about 1 s, once per
    process; blocking: call from a thread at start-up). Otherwise the first task's worker
    start would wait for it on the event loop."""
    process = _context.Process(target=_nothing)
    process.start()
    process.join()


class WorkerPool:
    def __init__(
        self,
        workers: int,
        queue: int,
        *,
        on_refused: Callable[[], object] = lambda: None,
    ) -> None:
        self.workers = workers
        self.limit = workers + queue
        self.admitted = 0
        """Tasks running or waiting (touched on the event loop only)."""
        self._on_refused = on_refused
        self._pool = self._start()

    def _start(self) -> ProcessPool:
        # Workers start on the first task (pebble starts lazily), not with the app.
        return ProcessPool(
            max_workers=self.workers,
            initializer=work.start,
            context=_context,
        )

    async def run(
        self, deadline: float, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Run ``fn`` (a module-level function) in a worker; ``deadline`` is a ``loop.time()``."""
        loop = asyncio.get_running_loop()
        if self.admitted >= self.limit:
            self._on_refused()
            raise Overloaded(
                f"all {self.workers} workers and {self.limit - self.workers} queue places are "
                "taken; retry shortly"
            )
        self.admitted += 1
        task = self._pool.schedule(fn, args=args, kwargs=kwargs)
        task.add_done_callback(lambda _: self._release_from_thread(loop))
        try:
            # At the deadline wait_for cancels the wrapped future, and pebble kills the worker
            # that runs it (or drops it from the queue).
            result: T = await asyncio.wait_for(asyncio.wrap_future(task), deadline - loop.time())
            return result
        except TimeoutError:
            raise AnalysisTimeout(
                "the analysis took longer than the time limit; retry later"
            ) from None
        except (ProcessExpired, CancelledError) as exc:
            # The worker died (out of memory, a crash).
            raise WorkerFailed(f"the analysis worker stopped ({exc}); retry") from None
        except BrokenProcessPool as exc:
            # Workers could not start (their initializer failed): try afresh next time.
            self._restart()
            raise WorkerFailed(f"analysis workers could not start ({exc}); retry") from None

    def _restart(self) -> None:
        old, self._pool = self._pool, self._start()
        old.stop()  # type: ignore[no-untyped-call]  # pebble's stop() is unannotated

    def _release(self) -> None:
        self.admitted -= 1

    def _release_from_thread(self, loop: asyncio.AbstractEventLoop) -> None:
        # RuntimeError: the loop has closed (shutdown), nobody counts any more.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(self._release)

    def close(self) -> None:
        self._pool.stop()  # type: ignore[no-untyped-call]
        self._pool.join(CLOSE_GRACE_SECONDS)
