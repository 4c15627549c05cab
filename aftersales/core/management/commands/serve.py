"""Serve the app with gunicorn and run the background worker beside it.

Either child is started again when it dies; Ctrl-C (SIGINT) or SIGTERM stops both.
"""

from __future__ import annotations

import os
import sys

from django.apps import apps
from django.core.management.base import BaseCommand

from aftersales.core.supervisor import Child, Supervisor


class Command(BaseCommand):
    help = "Run gunicorn and the Huey consumer together, restarting either when it dies."

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
        children = [Child("web", gunicorn)]
        if not opts["no_worker"]:
            children.append(Child("worker", [sys.executable, "-m", "aftersales.cli", "run_huey"]))
        supervisor = Supervisor(children, report=lambda line: self.stderr.write(f"serve: {line}"))
        supervisor.install_signal_handlers()
        if not opts["quiet"]:
            self._print_logins(opts["host"], opts["port"])
        # A child that dies (a crashed worker, a killed web server) is started again after a
        # back-off; Ctrl-C or SIGTERM stops them all.
        supervisor.run()

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
