"""``aftersales calendar_import``: a year's holidays and make-up working days into a calendar.

    aftersales calendar_import --calendar default --package --year 2027 [--dry-run]
    aftersales calendar_import --calendar default --csv holidays-2027.csv [--dry-run]

The CSV has one row per day: ``date,kind,name,start-end;start-end`` with kind ``holiday``,
``makeup_workday`` or ``special_hours`` (a header line is allowed). Any wrong row stops the whole
import and is listed with its line number; nothing is written.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from aftersales.calendars import selectors, services
from aftersales.calendars.management import shell_language
from aftersales.core.errors import DomainError


class Command(BaseCommand):
    help = "Import a year's holidays and make-up working days from chinesecalendar or a CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--calendar", default="default", help="calendar code")
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--package", action="store_true", help="from chinesecalendar")
        source.add_argument("--csv", type=Path, help="a CSV file: date,kind,name,hours")
        parser.add_argument("--year", type=int, help="the year to take from the package")
        parser.add_argument("--dry-run", action="store_true", help="check and report only")
        parser.add_argument(
            "--partial",
            action="store_true",
            help="CSV only: do not mark the file's years as complete",
        )

    def handle(self, *args, **options) -> None:
        with translation.override(shell_language()):
            self._handle(options)

    def _handle(self, options) -> None:
        try:
            calendar = selectors.calendar_by_code(options["calendar"])
            if options["package"]:
                if not options["year"]:
                    raise CommandError("--package needs --year")
                report = services.calendar_import_package(
                    actor=None, calendar=calendar, year=options["year"], dry_run=options["dry_run"]
                )
            else:
                try:
                    content = options["csv"].read_bytes()
                except OSError as exc:
                    raise CommandError(f"cannot read {options['csv']}: {exc.strerror}") from exc
                report = services.calendar_import_csv(
                    actor=None,
                    calendar=calendar,
                    content=content,
                    dry_run=options["dry_run"],
                    complete_years=not options["partial"],
                )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        for row in report.errors:
            self.stderr.write(f"line {row.line}: {row.error}")
        if not report.ok:
            raise CommandError(f"{len(report.errors)} wrong row(s); nothing was imported")
        verb = "would import" if report.dry_run else "imported"
        self.stdout.write(
            f"{calendar.code}: {verb} {report.count('create')} new, "
            f"{report.count('update')} changed, {report.count('unchanged')} unchanged day(s); "
            f"years {', '.join(map(str, report.years)) or '-'}"
        )
