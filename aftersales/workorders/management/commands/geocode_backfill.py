"""Locate addresses, service centers and work orders that have no point yet, then give the open
work orders without a service center the nearest center whose coverage reaches them.

Offline by default (district centroids from the administrative divisions, no network). With
``--online`` and a configured online geocoder, every row not typed by staff and coarser than a
building is also queued for the online geocoder (background worker). ``--refresh`` locates the
offline-located rows again, e.g. after the divisions package was updated. See docs/geocoding.md.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aftersales.core import geocoding
from aftersales.core.geocoding import GeoPrecision, GeoSource
from aftersales.core.tasks import geocode_refine
from aftersales.workorders.coverage import centers_for_open_orders


class Command(BaseCommand):
    help = "Geocode addresses, service centers and work orders that have no coordinates."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--online", action="store_true", help="also queue rows for the online geocoder"
        )
        parser.add_argument(
            "--refresh", action="store_true", help="locate offline-located rows again"
        )

    def handle(self, *args: Any, online: bool = False, refresh: bool = False, **opts: Any) -> None:
        if online and not geocoding.online_enabled():
            raise CommandError("No online geocoder is configured (GEOCODER_AMAP_KEY).")
        for model in geocoding.located_models():
            qs = model.objects.all()
            if refresh:
                qs.filter(geo_source=GeoSource.OFFLINE).update(
                    latitude=None, longitude=None, geo_precision="", geo_source=""
                )
            located = geocoding.backfill(qs, lambda row: row.geocode_query()[0])
            missing = qs.filter(latitude__isnull=True).count()
            queued = 0
            if online:
                for pk in (
                    qs.exclude(geo_source=GeoSource.MANUAL)
                    .exclude(geo_precision=GeoPrecision.POINT)
                    .values_list("pk", flat=True)
                    .iterator()
                ):
                    geocode_refine(model._meta.label, pk)
                    queued += 1
            self.stdout.write(
                f"{model._meta.label}: {located} located, {missing} without a point"
                + (f", {queued} queued for the online geocoder" if online else "")
            )
        assigned = centers_for_open_orders()
        self.stdout.write(f"open work orders given a service center: {assigned}")
