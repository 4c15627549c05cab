"""Load the demo data set; ``make run`` calls it every time, so it is idempotent."""

from __future__ import annotations

import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

HELP = """Load a realistic Chinese demo data set: an appliance maker (海澜电器) and a car
dealership (远航汽车 4S 店) with departments, teams, service centers, staff for every role
(the demo sign-ins), about 50 customers, 80 products and 200 cases of every type and status,
created through the services so timelines, audit records and notifications are real:
messages are delivered (to a mail backend that discards them) as the demo clock runs, cases
carry photos and invoice scans, customers with portal accounts answer and rate the service.

Running it again changes nothing once the demo is present.

--cases/--customers/--assets add that many more rows quickly for benchmarks. They are written
in batches with bulk inserts, on purpose without per-row audit records or notifications (the
benchmark data only has to look like real cases and timelines); case numbers are taken as one
block from the year's sequence, so they stay unique and never collide with real intake."""


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser):
        parser.add_argument(
            "--cases", type=int, default=0, help="add N generated cases (bulk, no audit rows)"
        )
        parser.add_argument(
            "--customers", type=int, default=0, help="add N generated customers (bulk)"
        )
        parser.add_argument("--assets", type=int, default=0, help="add N generated products (bulk)")
        parser.add_argument(
            "--days",
            type=int,
            default=365,
            help="spread generated cases over the last N days (default 365)",
        )
        parser.add_argument(
            "--small", action="store_true", help="a smaller demo (70 cases) for quick tests"
        )
        parser.add_argument("--seed", type=int, default=2026, help="random seed")
        parser.add_argument(
            "--no-demo",
            action="store_true",
            help="only the bulk rows; needs customers and staff already present",
        )

    def handle(self, *args, **opts):
        from aftersales.demo import build, bulk

        for knob in ("cases", "customers", "assets"):
            if opts[knob] < 0:
                raise CommandError(f"--{knob} must not be negative")
        started = time.perf_counter()
        out = self.stdout
        if opts["no_demo"]:
            pass
        elif build.demo_present():
            out.write("Demo data already present; nothing to load.")
        else:
            builder = build.build_demo(cases=70 if opts["small"] else 200, seed=opts["seed"])
            took = time.perf_counter() - started
            out.write(self.style.SUCCESS(f"Demo data loaded in {took:.1f} s."))
            self._summary(builder)
        if opts["customers"] or opts["assets"] or opts["cases"]:
            t0 = time.perf_counter()
            result = bulk.generate(
                customers=opts["customers"],
                assets=opts["assets"],
                cases=opts["cases"],
                days=opts["days"],
                seed=opts["seed"],
                progress=lambda msg: out.write(f"  {msg}"),
            )
            took = time.perf_counter() - t0
            rate = result.cases / took if took and result.cases else 0
            out.write(
                self.style.SUCCESS(
                    f"Generated {result.customers} customers, {result.assets} products, "
                    f"{result.cases} cases and {result.events} events in {took:.1f} s"
                    + (f" ({rate:,.0f} cases/s)." if rate else ".")
                )
            )

        from aftersales.demo.routing_demo import routing_demo_load

        routing_demo_load(out)

        from aftersales.demo.calendars_demo import calendars_demo_load

        calendars_demo_load(out)

        from aftersales.demo.parts_demo import parts_demo_load

        parts_demo_load(out)

        from aftersales.demo.workorders_demo import workorders_demo_load

        workorders_demo_load(out)

        from aftersales.demo.purchasing_demo import purchasing_demo_load

        purchasing_demo_load(out)

        from aftersales.demo.search_demo import search_demo_load

        search_demo_load(out)

        from aftersales.demo.sla_demo import sla_demo_load

        sla_demo_load(out)

    def _summary(self, builder) -> None:
        from aftersales.accounts.models import Department, ServiceCenter, Team, User
        from aftersales.cases.models import Attachment, Case, CaseCategory, CaseEvent
        from aftersales.core.models import AuditLog
        from aftersales.customers.models import Address, Asset, Contact, Customer
        from aftersales.demo.accounts import DEMO_PASSWORD, DEMO_USERS
        from aftersales.notifications.models import Notification

        out = self.stdout
        counts = [
            ("departments", Department.objects.count()),
            ("teams", Team.objects.count()),
            ("service centers", ServiceCenter.objects.count()),
            ("users", User.objects.count()),
            ("customers", Customer.objects.count()),
            ("contacts", Contact.objects.count()),
            ("addresses", Address.objects.count()),
            ("products owned", Asset.objects.count()),
            ("case categories", CaseCategory.objects.count()),
            ("cases", Case.objects.count()),
            ("timeline events", CaseEvent.objects.count()),
            ("audit records", AuditLog.objects.count()),
            ("notifications", Notification.objects.count()),
            ("attachments", Attachment.objects.count()),
            ("customer replies", CaseEvent.objects.filter(kind="customer_reply").count()),
            ("ratings", Case.objects.filter(customer_rating__isnull=False).count()),
        ]
        out.write("  " + ", ".join(f"{n} {label}" for label, n in counts))
        by_type = Counter(Case.objects.values_list("case_type", flat=True))
        out.write("  cases by type: " + ", ".join(f"{t} {n}" for t, n in sorted(by_type.items())))
        by_status = Counter(Case.objects.values_list("status", flat=True))
        out.write(
            "  cases by status: " + ", ".join(f"{s} {n}" for s, n in sorted(by_status.items()))
        )
        names = ", ".join(u[0] for u in DEMO_USERS)
        out.write(f"  sign-ins: {names} (password {DEMO_PASSWORD})")
