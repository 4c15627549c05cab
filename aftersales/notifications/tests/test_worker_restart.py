"""``serve`` (core) keeps the site up: a killed worker is started again and sends what waited, and
SIGTERM stops everything. Real processes on 127.0.0.1 against the test database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from aftersales.notifications.models import Channel, Notification, State

pytestmark = [pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def _children(pid: int) -> dict[int, str]:
    """The live child processes of ``pid`` and their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            ppid = int(stat.rpartition(")")[2].split()[1])
            state = stat.rpartition(")")[2].split()[0]
            if ppid == pid and state != "Z":
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
        except (OSError, ValueError, IndexError):
            continue
    return {k: v.decode() for k, v in found.items()}


def _worker(pid: int) -> int | None:
    return next((k for k, v in _children(pid).items() if "run_huey" in v), None)


def _answers(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except OSError:
        return 0


def _wait(predicate, timeout: float, step: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


def _log(tmp_path: Path) -> str:
    """The end of what serve and its children said, for a failure message."""
    return (tmp_path / "serve.log").read_text(errors="replace")[-3000:]


def _note(subject: str) -> Notification:
    return Notification.objects.create(
        channel=Channel.EMAIL,
        template="test",
        recipient="alice@example.cn",
        subject=subject,
        body="…",
    )


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_comes_back_and_sends_what_waited(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DATABASE_URL=_database_url(),
        AFTERSALES_VAR_DIR=str(tmp_path),  # the worker's queue, the mail folder, the key
        HUEY_IMMEDIATE="0",
        STATIC_NO_MANIFEST="1",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    before = _note("queued before the start")
    manage = Path(settings.BASE_DIR) / "manage.py"
    serve = subprocess.Popen(
        [
            sys.executable,
            str(manage),
            "serve",
            "--port",
            str(port),
            "--workers",
            "1",
            "--threads",
            "2",
            "--quiet",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "serve.log", "wb"),  # noqa: SIM115 - closed with the process
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/accounts/login/"
    try:
        assert _wait(lambda: _answers(url) == 200, 180), _log(tmp_path)
        first = _wait(lambda: _worker(serve.pid), 30)
        assert first, "no worker started"
        # the first worker sends what the outbox held when it started
        assert _wait(lambda: Notification.objects.get(pk=before.pk).state == State.SENT, 60), (
            "the starting worker did not drain the outbox"
        )

        os.kill(first, signal.SIGKILL)
        killed_at = time.monotonic()
        waiting = _note("queued while the worker was down")
        answers = []

        def back() -> int | None:
            answers.append(_answers(url))
            pid = _worker(serve.pid)
            return pid if pid and pid != first else None

        second = _wait(back, 10)
        assert second, "no new worker within 10 s"
        assert set(answers) == {200}, "the site stopped answering while the worker was down"
        assert _wait(
            lambda: Notification.objects.get(pk=waiting.pk).state == State.SENT,
            max(20 - (time.monotonic() - killed_at), 1),
        ), "the new worker did not send what was queued while none ran"
        assert _answers(url) == 200
        assert serve.poll() is None
        mails = list((tmp_path / "mail").iterdir())
        assert any(waiting.subject in p.read_text() for p in mails)
        assert "exited with" in (tmp_path / "serve.log").read_text()

        # SIGTERM stops the web server and the worker, and serve itself
        children = set(_children(serve.pid))
        assert len(children) == 2
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=20) == 0
        assert not any(Path(f"/proc/{pid}").exists() for pid in children)
        assert _answers(url) == 0
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait()
