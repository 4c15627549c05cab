"""``aftersales worktime add|between``: working-time arithmetic on a calendar from the shell.

    aftersales worktime add --calendar default --from 2026-09-30T18:30 --duration 1wd
    2026-10-08T17:30:00+08:00
    aftersales worktime between --calendar default --from 2026-09-30T08:30 --to 2026-10-08T17:30
    15wh

A ``--from``/``--to`` without an offset is read in the calendar's time zone; results are printed
in ISO-8601 with the offset. ``between`` prints the working time as a duration (``15wh``,
``450wm``); ``--minutes`` prints the number of working minutes instead. Messages follow the
shell's locale: Chinese under ``LANG=zh_CN.UTF-8``, English otherwise.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from aftersales.calendars import selectors
from aftersales.calendars.management import shell_language
from aftersales.core.errors import DomainError


class Command(BaseCommand):
    help = "Working-time arithmetic on a working calendar: add a duration, or time between."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{add,between}")
        add = sub.add_parser("add", help="the instant a duration after --from")
        add.add_argument("--calendar", default="default", help="calendar code (default: default)")
        add.add_argument("--from", dest="start", required=True, help="e.g. 2026-09-30T18:30")
        add.add_argument("--duration", required=True, help="24h, 90m, 2d (natural); 8wh, 30wm; 1wd")
        add.add_argument(
            "--estimate",
            action="store_true",
            help="in a year the calendar does not know, print the natural-time estimate",
        )
        between = sub.add_parser("between", help="working time from --from to --to")
        between.add_argument("--calendar", default="default", help="calendar code")
        between.add_argument("--from", dest="start", required=True)
        between.add_argument("--to", dest="end", required=True)
        between.add_argument(
            "--minutes", action="store_true", help="print whole working minutes only"
        )

    def handle(self, *args, **options) -> None:
        with translation.override(shell_language()):
            self._handle(options)

    def _handle(self, options) -> None:
        try:
            calendar = selectors.calendar_by_code(options["calendar"])
            if options["action"] == "add":
                answer = selectors.worktime_add(
                    calendar, options["start"], options["duration"], estimate=options["estimate"]
                )
                line = answer.result.isoformat()
                if answer.estimated:
                    line += "  (estimated: the year is not in the calendar)"
                self.stdout.write(line)
                return
            delta = selectors.worktime_between(calendar, options["start"], options["end"])
            if options["minutes"]:
                self.stdout.write(str(selectors.working_minutes(delta)))
            else:
                self.stdout.write(selectors.working_duration_text(delta))
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
