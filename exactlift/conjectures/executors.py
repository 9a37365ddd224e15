"""Executors for conjecture sweeps: a supervised local process pool, Dask, and the case task they run.

The runner (:func:`exactlift.conjectures.runner.run_conjectures`) accepts any
:class:`concurrent.futures.Executor`.  What it submits is :func:`run_task`
with a :class:`CaseTask` -- a small description (conjecture name, case index,
the user files that register it), never a pickled closure -- so a worker on
another machine needs only exactlift installed (and the user files at the same
path).  The coordinating process alone writes the ledger.

* :class:`SupervisedPool` (``--executor local``): one task per worker process
  at a time; a worker that dies mid-case fails that future with
  :class:`WorkerCrashed` and is replaced; :meth:`SupervisedPool.kill` ends a
  worker running past its time limit (the runner calls it) and replaces it.
  Workers die with their parent: ``PR_SET_PDEATHSIG`` on Linux and, on every
  platform, a watchdog thread that polls the parent's pid every 0.2 s.
* :class:`DaskExecutor` (``--executor dask``): a Dask client on an existing
  scheduler (``tcp://host:8786``) or on a new ``LocalCluster``, in the pattern
  of ``Client.get_executor()``; :meth:`DaskExecutor.kill` restarts the worker
  of a case past its limit.

>>> from exactlift.conjectures.registry import conjecture
>>> @conjecture(name="doc.exec", grid={"n": [1, 2]})
... def pos(n):
...     assert n > 0
>>> run_task(CaseTask("doc.exec", 1)).result
'holds'

Failure modes: :class:`WorkerCrashed` (the worker process died: os._exit,
a signal, out of memory) on the future; :class:`~exactlift.errors.InputError`
for an unknown executor or a missing ``[dask]`` extra.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
import traceback
from collections import deque
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from multiprocessing import connection as mp_connection
from typing import Any, Callable

from exactlift.conjectures.registry import ERROR, Outcome, get_conjecture, load_file
from exactlift.errors import InputError

EXECUTORS = ("local", "dask")


class WorkerCrashed(RuntimeError):
    """The worker process running a case died before returning a result."""


@dataclass(frozen=True)
class CaseTask:
    """What a worker needs to decide one case: the conjecture's name, the case's index in its grid, files."""

    conjecture: str
    index: int
    files: tuple[str, ...] = ()


_LOADED: set[str] = set()


def run_task(task: CaseTask) -> Outcome:
    """Decide one case in this process (loading ``task.files`` once per process)."""
    for f in task.files:
        if f not in _LOADED:
            load_file(f)
            _LOADED.add(f)
    conj = get_conjecture(task.conjecture)
    cases = conj.cases()
    if not 0 <= task.index < len(cases):
        return Outcome(ERROR, f"case index {task.index} is not in the grid of {task.conjecture} ({len(cases)} cases)")
    return conj.run_case(cases[task.index][1])


# ---------------------------------------------------------------- workers die with their parent

def die_with_parent(parent_pid: int, interval: float = 0.2) -> None:
    """Make this process exit when ``parent_pid`` ends (PR_SET_PDEATHSIG on Linux + a polling thread)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG = 1
        except (OSError, AttributeError):  # pragma: no cover - exotic libc
            pass

    def watch() -> None:
        while True:
            time.sleep(interval)
            try:
                os.kill(parent_pid, 0)
            except ProcessLookupError:
                os._exit(3)
            except PermissionError:  # pragma: no cover - pid reused by another user's process
                os._exit(3)
            if os.getppid() == 1 and parent_pid != 1:
                os._exit(3)

    threading.Thread(target=watch, name="exactlift-parent-watch", daemon=True).start()


def _worker_main(conn: Any, parent_pid: int) -> None:  # pragma: no cover - runs in the child
    die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the coordinator's to handle
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        if msg is None:
            os._exit(0)
        fn, args, kwargs = msg
        try:
            reply = (True, fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - shipped back to the coordinator
            reply = (False, RuntimeError(f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}"))
        try:
            conn.send(reply)
        except Exception as exc:  # an unpicklable result
            conn.send((False, RuntimeError(f"the result could not be sent back: {type(exc).__name__}: {exc}")))


@dataclass
class _Worker:
    process: Any
    conn: Any
    future: Future | None = None
    started: float = 0.0
    kill_exc: BaseException | None = None


@dataclass
class _Job:
    future: Future
    payload: tuple[Callable[..., Any], tuple, dict] = field(default_factory=tuple)  # type: ignore[assignment]


class SupervisedPool(Executor):
    """A process pool that survives crashed workers and can kill one running task.

    >>> with SupervisedPool(1) as pool:
    ...     pool.submit(pow, 2, 10).result()
    1024

    ``submit`` returns a :class:`~concurrent.futures.Future`; a worker that dies
    fails its future with :class:`WorkerCrashed` and a fresh worker takes its
    place; :meth:`kill` does the same on purpose (for a case past its limit).
    Workers are started with ``fork`` on Linux (they inherit the registry;
    the pool must then be created by a thread that outlives it, as
    ``PR_SET_PDEATHSIG`` follows the forking thread), else ``forkserver`` or ``spawn``.
    """

    def __init__(self, max_workers: int = 2, mp_context: Any = None) -> None:
        import multiprocessing

        if max_workers < 1:
            raise InputError(f"--jobs must be at least 1, got {max_workers}")
        if mp_context is None:
            methods = multiprocessing.get_all_start_methods()
            # fork on Linux: workers inherit the registry (conjectures registered in tests and
            # doctests), as the previous ProcessPoolExecutor did; forkserver/spawn elsewhere.
            method = "fork" if sys.platform.startswith("linux") and "fork" in methods else (
                "forkserver" if "forkserver" in methods else "spawn")
            mp_context = multiprocessing.get_context(method)
        self._ctx = mp_context
        self._max_workers = max_workers
        self._queue: deque[_Job] = deque()
        self._lock = threading.Lock()
        self._wake_r, self._wake_w = os.pipe()
        self._workers: list[_Worker] = [self._spawn() for _ in range(max_workers)]
        self._shutdown = False
        self._abandon = False
        self._thread = threading.Thread(target=self._loop, name="exactlift-pool", daemon=True)
        self._thread.start()

    @property
    def max_workers(self) -> int:
        return self._max_workers

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=_worker_main, args=(child, os.getpid()), daemon=True)
        proc.start()
        child.close()
        return _Worker(proc, parent)

    def _wake(self) -> None:
        try:
            os.write(self._wake_w, b"x")
        except OSError:  # pragma: no cover
            pass

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        with self._lock:
            if self._shutdown:
                raise RuntimeError("cannot submit to a pool that was shut down")
            fut: Future = Future()
            self._queue.append(_Job(fut, (fn, args, kwargs)))
        self._wake()
        return fut

    def kill(self, future: Future, exc: BaseException | None = None) -> bool:
        """End the worker running ``future`` (or drop it from the queue); True if it was found."""
        with self._lock:
            for job in list(self._queue):
                if job.future is future:
                    self._queue.remove(job)
                    future.cancel()
                    return True
            for w in self._workers:
                if w.future is future and w.process is not None:
                    w.kill_exc = exc or WorkerCrashed("killed: the case ran past its time limit")
                    w.process.kill()  # the pool's thread sees the sentinel and replaces the worker
                    self._wake()
                    return True
        return False

    def _replace(self, i: int, exc: BaseException) -> None:
        w = self._workers[i]
        try:
            w.process.kill()
            w.process.join(5)
        except Exception:  # pragma: no cover
            pass
        w.conn.close()
        if w.future is not None and not w.future.done():
            w.future.set_exception(exc)
        self._workers[i] = self._spawn() if not self._shutdown else _Worker(None, None)

    def _loop(self) -> None:
        while True:
            with self._lock:
                idle = not self._queue and all(w.future is None for w in self._workers)
                if self._shutdown and (idle or self._abandon):
                    return
                for w in self._workers:
                    if w.future is None and w.process is not None and self._queue:
                        job = self._queue.popleft()
                        if not job.future.set_running_or_notify_cancel():
                            continue
                        try:
                            w.conn.send(job.payload)
                        except Exception as exc:
                            job.future.set_exception(exc)
                            continue
                        w.future, w.started = job.future, time.monotonic()
                busy = [(i, w) for i, w in enumerate(self._workers) if w.future is not None]
            waitables: list[Any] = [self._wake_r]
            for _, w in busy:
                waitables += [w.conn, w.process.sentinel]
            ready = mp_connection.wait(waitables, timeout=1.0)
            if self._wake_r in ready:
                os.read(self._wake_r, 4096)
            with self._lock:
                for i, w in busy:
                    if self._workers[i] is not w or w.future is None:
                        continue
                    if w.kill_exc is not None and (w.conn in ready or w.process.sentinel in ready):
                        self._replace(i, w.kill_exc)
                    elif w.conn in ready:
                        try:
                            ok, value = w.conn.recv()
                        except (EOFError, OSError):
                            self._replace(i, WorkerCrashed(f"the worker process died (exit code "
                                                           f"{w.process.exitcode})"))
                            continue
                        fut, w.future = w.future, None
                        if ok:
                            fut.set_result(value)
                        else:
                            fut.set_exception(value)
                    elif w.process.sentinel in ready:
                        w.process.join(1)
                        self._replace(i, WorkerCrashed(f"the worker process died (exit code {w.process.exitcode})"))

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._shutdown = True
            if cancel_futures or not wait:
                while self._queue:
                    self._queue.popleft().future.cancel()
            if not wait:  # do not wait for running cases: end their workers
                self._abandon = True
                for w in self._workers:
                    if w.process is not None:
                        w.process.kill()
                    if w.future is not None and not w.future.done():
                        w.future.set_exception(WorkerCrashed("the pool was shut down"))
        self._wake()
        self._thread.join()
        for w in self._workers:
            if w.process is None:
                continue
            try:
                w.conn.send(None)
            except Exception:
                pass
        for w in self._workers:
            if w.process is not None:
                w.process.join(2)
                if w.process.is_alive():
                    w.process.kill()
                    w.process.join(2)
        for fd in (self._wake_r, self._wake_w):
            try:
                os.close(fd)
            except OSError:
                pass


# ---------------------------------------------------------------- dask

class DaskExecutor(Executor):
    """A Dask cluster as a :class:`concurrent.futures.Executor`, owning its client (and LocalCluster).

    ``submit`` sends the task with ``Client.submit`` (``pure=False``) and
    returns a :class:`~concurrent.futures.Future` that follows the Dask future
    (the pattern of ``Client.get_executor()``).  :meth:`kill` (a case past its
    limit) cancels the task and *restarts the worker* that runs it, through
    its nanny, and waits for the new worker (a few seconds; the runner submits
    nothing meanwhile, so no case lands on the dying worker): a Dask worker
    cannot interrupt a running Python call, so the stuck call ends with its
    process and the worker's slot comes back.  A worker without a nanny
    (``processes=False``) is not restarted (that would only remove it): its
    task is cancelled and its thread finishes the call in the background.

    The LocalCluster it starts gives each worker one task at a time
    (``worker-saturation`` 1.0) and fails a task whose worker died on the first
    death (``allowed-failures`` 0), so a case that kills its worker
    (``os._exit``, a signal) is recorded ``crashed`` at once instead of being
    retried on other workers.  An existing cluster (``scheduler=``) keeps its
    own settings: with the default ``allowed-failures`` (3) such a case is
    tried on four workers before it is recorded ``crashed``.
    """

    def __init__(self, scheduler: str | None = None, jobs: int = 2, processes: bool = True) -> None:
        try:
            import dask
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise InputError("--executor dask needs dask.distributed: pip install 'exactlift[dask]'") from None
        self._cluster = None
        self._lock = threading.Lock()
        self._tasks: dict[Future, Any] = {}
        self.restarted: list[str] = []
        try:
            if scheduler:
                self._client = Client(scheduler, timeout="10s")
            else:
                with dask.config.set({"distributed.scheduler.allowed-failures": 0,
                                      "distributed.scheduler.worker-saturation": 1.0}):
                    self._cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=processes,
                                                 dashboard_address=None)
                self._client = Client(self._cluster)
        except (OSError, TimeoutError) as exc:
            raise InputError(f"cannot reach the Dask scheduler {scheduler or '(local)'}: {exc}") from None
        threads = sum(self._client.nthreads().values())
        self._max_workers = max(1, threads)

    @property
    def max_workers(self) -> int:
        return self._max_workers

    @property
    def client(self) -> Any:
        """The ``dask.distributed.Client``."""
        return self._client

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        dfut = self._client.submit(fn, *args, pure=False, **kwargs)
        cf: Future = Future()
        cf.set_running_or_notify_cancel()
        with self._lock:
            self._tasks[cf] = dfut

        def follow(d: Any) -> None:
            with self._lock:
                self._tasks.pop(cf, None)
            if cf.done():
                return
            try:
                if d.status == "finished":
                    cf.set_result(d.result())
                elif d.status == "cancelled":
                    cf.set_exception(WorkerCrashed("the case was cancelled on the Dask cluster"))
                else:
                    cf.set_exception(d.exception())
            except BaseException as exc:  # noqa: BLE001 - e.g. a result that cannot be fetched
                if not cf.done():
                    cf.set_exception(exc)

        dfut.add_done_callback(follow)
        return cf

    def _worker_of(self, key: Any) -> str | None:
        try:
            for addr, keys in self._client.processing().items():
                if key in keys:
                    return addr
        except Exception:  # noqa: BLE001 - the scheduler went away
            return None
        return None

    def _restart(self, addr: str) -> None:
        try:
            if not self._client.scheduler_info().get("workers", {}).get(addr, {}).get("nanny"):
                return  # without a nanny a restart would only remove the worker (and wait for it in vain)
            self._client.restart_workers([addr], raise_for_error=False)
            self.restarted.append(addr)
        except Exception:  # noqa: BLE001 - no nanny, or the cluster is closing
            pass

    def kill(self, future: Future, exc: BaseException | None = None) -> bool:
        """Cancel ``future``'s task and restart the worker running it (``restarted`` lists them); True if found."""
        with self._lock:
            dfut = self._tasks.pop(future, None)
        if dfut is None:
            return False
        addr = self._worker_of(dfut.key)
        dfut.cancel()
        if not future.done():
            future.set_exception(exc or WorkerCrashed("killed: the case ran past its time limit"))
        if addr is not None:
            self._restart(addr)  # waits for the new worker: nothing is placed on the dying one meanwhile
        return True

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            pending = list(self._tasks.items())
        if cancel_futures or not wait:
            for cf, d in pending:
                d.cancel()
        elif pending:
            from dask.distributed import wait as dask_wait

            dask_wait([d for _, d in pending])
        try:
            self._client.close()
        finally:
            if self._cluster is not None:
                self._cluster.close()


def make_executor(kind: str, jobs: int = 2, scheduler: str | None = None) -> Executor:
    """The executor named ``kind`` (``local`` or ``dask``) with ``jobs`` workers (see the module docstring)."""
    if kind == "local":
        if scheduler:
            raise InputError("--scheduler needs --executor dask")
        return SupervisedPool(jobs)
    if kind == "dask":
        return DaskExecutor(scheduler, jobs)
    raise InputError(f"--executor must be one of {', '.join(EXECUTORS)}, got {kind!r}")


def executor_width(executor: Executor, default: int = 2) -> int:
    """How many tasks ``executor`` runs at once (``max_workers`` / ``_max_workers``, else ``default``)."""
    for attr in ("max_workers", "_max_workers"):
        v = getattr(executor, attr, None)
        if isinstance(v, int) and v > 0:
            return v
    return default


__all__ = ["CaseTask", "run_task", "SupervisedPool", "DaskExecutor", "WorkerCrashed", "make_executor",
           "executor_width", "die_with_parent", "EXECUTORS"]
