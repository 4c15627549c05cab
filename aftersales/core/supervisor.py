"""Keep a few child processes running: the web server and the background worker of ``serve``.

A child that exits while nobody asked it to stop is started again after a back-off (1 s, 2 s,
4 s … up to ``max_delay``; a child that stayed up for ``stable_after`` seconds starts the count
afresh), so a crashed worker never takes the site down and a crash loop does not spin the CPU.
SIGINT or SIGTERM stops every child (SIGTERM, then SIGKILL after ``stop_timeout``) and returns.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass
class Child:
    """One supervised program: a name for the log and its command line."""

    name: str
    argv: Sequence[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    failures: int = 0  # exits in a row that came before ``stable_after``
    restart_at: float | None = None
    restarts: int = 0
    env: dict[str, str] | None = field(default=None, repr=False)


class Supervisor:
    def __init__(
        self,
        children: Sequence[Child],
        *,
        base_delay: float = 1.0,
        max_delay: float = 30.0,
        stable_after: float = 30.0,
        stop_timeout: float = 10.0,
        poll: float = 0.2,
        spawn: Callable[[Child], subprocess.Popen] | None = None,
        report: Callable[[str], None] | None = None,
    ) -> None:
        self.children = list(children)
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.stable_after = stable_after
        self.stop_timeout = stop_timeout
        self.poll = poll
        self._spawn = spawn or (lambda c: subprocess.Popen(list(c.argv), env=c.env))
        self._report = report or log.warning
        self._stopping = False

    # -- control -----------------------------------------------------------------------------

    def stop(self, *_: object) -> None:
        """Ask the loop to stop every child and return (safe from a signal handler)."""
        self._stopping = True

    def install_signal_handlers(self) -> None:
        signal.signal(signal.SIGINT, self.stop)
        signal.signal(signal.SIGTERM, self.stop)

    def delay(self, failures: int) -> float:
        """Back-off before the next start after ``failures`` quick exits in a row."""
        return min(self.base_delay * 2 ** max(failures - 1, 0), self.max_delay)

    # -- the loop ----------------------------------------------------------------------------

    def _start(self, child: Child) -> None:
        child.process = self._spawn(child)
        child.started_at = time.monotonic()
        child.restart_at = None

    def check(self) -> None:
        """One round: notice children that exited, start those whose back-off has run out."""
        now = time.monotonic()
        for child in self.children:
            proc = child.process
            if proc is not None and proc.poll() is not None:
                ran = now - child.started_at
                child.failures = 1 if ran >= self.stable_after else child.failures + 1
                wait = self.delay(child.failures)
                self._report(
                    f"{child.name} (pid {proc.pid}) exited with {proc.returncode} after "
                    f"{ran:.0f} s; starting it again in {wait:.0f} s"
                )
                child.process = None
                child.restart_at = now + wait
            if child.process is None and child.restart_at is not None and now >= child.restart_at:
                self._start(child)
                child.restarts += 1

    def run(self) -> None:
        """Start every child and keep them running until :meth:`stop`."""
        for child in self.children:
            self._start(child)
        try:
            while not self._stopping:
                time.sleep(self.poll)
                if not self._stopping:
                    self.check()
        finally:
            self.shutdown()

    def shutdown(self) -> None:
        running = [c.process for c in self.children if c.process and c.process.poll() is None]
        for proc in running:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout
        for proc in running:
            try:
                proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
