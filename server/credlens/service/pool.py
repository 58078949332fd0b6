"""A bounded worker pool: blocking work (parsing, inference) off the event loop, with admission.

At most ``threads`` tasks run and ``queue`` wait; one more is refused at once with ``Overloaded``
(503) rather than queued without bound. A task that outlives its deadline
answers ``AnalysisTimeout``; its thread cannot be stopped, so its slot stays taken until it
really ends, which keeps the bound true under timeouts too.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from credlens.errors import AnalysisTimeout, Overloaded

P = ParamSpec("P")
T = TypeVar("T")


class BoundedPool:
    def __init__(
        self,
        threads: int,
        queue: int,
        *,
        on_refused: Callable[[], object] = lambda: None,
    ) -> None:
        self.threads = threads
        self.limit = threads + queue
        self.admitted = 0
        """Tasks running or waiting (touched on the event loop only)."""
        self._on_refused = on_refused
        self._executor = ThreadPoolExecutor(threads, thread_name_prefix="credlens-worker")

    async def run(
        self, deadline: float, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Run ``fn`` in a thread; ``deadline`` is a ``loop.time()`` by which it must end."""
        loop = asyncio.get_running_loop()
        if self.admitted >= self.limit:
            self._on_refused()
            raise Overloaded(
                f"all {self.threads} workers and {self.limit - self.threads} queue places are "
                "taken; retry shortly"
            )
        self.admitted += 1
        task: Future[T] = self._executor.submit(fn, *args, **kwargs)
        task.add_done_callback(lambda _: self._release_from_thread(loop))
        try:
            return await asyncio.wait_for(asyncio.wrap_future(task), deadline - loop.time())
        except TimeoutError:
            raise AnalysisTimeout(
                "the analysis took longer than the time limit; retry later"
            ) from None

    def _release(self) -> None:
        self.admitted -= 1

    def _release_from_thread(self, loop: asyncio.AbstractEventLoop) -> None:
        # RuntimeError: the loop has closed (shutdown), nobody counts any more.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(self._release)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
