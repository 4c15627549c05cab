"""``manage.py parts_abc``: recompute every part's ABC class from consumption value."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from aftersales.parts.abc import abc_reclassify


class Command(BaseCommand):
    help = "Recompute ABC classes of all parts from the last 12 months' consumption value."

    def handle(self, *args, **options):
        counts = abc_reclassify()
        self.stdout.write(f"A={counts['A']} B={counts['B']} C={counts['C']}")
