"""Serve the app with gunicorn and run the background worker beside it; Ctrl-C stops both."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run gunicorn and the Huey consumer together."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=3)
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument("--no-worker", action="store_true", help="do not start the consumer")
        parser.add_argument("--quiet", action="store_true", help="do not print the demo sign-ins")

    def handle(self, *args, **opts):
        bindir = os.path.dirname(sys.executable)
        gunicorn = [
            os.path.join(bindir, "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"{opts['host']}:{opts['port']}",
            "--workers",
            str(opts["workers"]),
            "--threads",
            str(opts["threads"]),
            "--worker-class",
            "gthread",
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "5",
        ]
        procs = [subprocess.Popen(gunicorn)]
        if not opts["no_worker"]:
            procs.append(subprocess.Popen([sys.executable, "-m", "aftersales.cli", "run_huey"]))
        if not opts["quiet"]:
            self._print_logins(opts["host"], opts["port"])

        def stop(*_):
            for p in procs:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while all(p.poll() is None for p in procs):
                time.sleep(0.5)
        finally:
            stop()
            for p in procs:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()

    def _print_logins(self, host: str, port: int) -> None:
        out = self.stdout
        out.write("")
        out.write(self.style.SUCCESS(f"aftersales is serving at http://{host}:{port}/"))
        # An app may add lines (the demo app lists its sign-ins) without core importing it.
        for config in apps.get_app_configs():
            banner = getattr(config, "serve_banner", None)
            if banner is not None:
                for line in banner():
                    out.write(line)
        out.write("Press Ctrl-C to stop.")
        out.write("")
