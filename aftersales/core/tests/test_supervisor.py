"""The supervisor of ``serve``: a child that dies is started again after a back-off that
doubles, starts afresh after a stable run, and everything stops on request."""

from __future__ import annotations

import signal
import time

from aftersales.core.supervisor import Child, Supervisor


class FakeProcess:
    """Stands for a child process: it exits when the test says so."""

    count = 0

    def __init__(self) -> None:
        FakeProcess.count += 1
        self.pid = 1000 + FakeProcess.count
        self.returncode: int | None = None
        self.signals: list[int] = []

    def poll(self) -> int | None:
        return self.returncode

    def send_signal(self, sig: int) -> None:
        self.signals.append(sig)
        self.returncode = -sig

    def wait(self, timeout: float | None = None) -> int | None:
        return self.returncode

    def kill(self) -> None:
        self.returncode = -9


def test_restarts_back_off_and_start_afresh_after_a_stable_run(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    started: list[FakeProcess] = []

    def spawn(child: Child) -> FakeProcess:
        started.append(FakeProcess())
        return started[-1]

    lines: list[str] = []
    sup = Supervisor([Child("worker", ["x"])], spawn=spawn, report=lines.append, stable_after=30)
    assert [sup.delay(n) for n in (1, 2, 3, 4, 5, 6, 7)] == [1, 2, 4, 8, 16, 30, 30]
    for child in sup.children:
        sup._start(child)
    child = sup.children[0]

    # crashes at once, three times: 1 s, 2 s, 4 s between starts
    for wait in (1, 2, 4):
        started[-1].returncode = 1
        sup.check()
        assert child.process is None and len(lines) == len(started)
        clock[0] += wait - 0.1
        sup.check()
        assert child.process is None  # still backing off
        clock[0] += 0.1
        sup.check()
        assert child.process is started[-1] and started[-1].returncode is None
    assert len(started) == 4 and child.restarts == 3

    # a run longer than stable_after starts the count afresh: back after 1 s
    clock[0] += 60
    started[-1].returncode = -9
    sup.check()
    clock[0] += 1
    sup.check()
    assert len(started) == 5 and child.failures == 1

    sup.shutdown()
    assert started[-1].signals == [signal.SIGTERM]
