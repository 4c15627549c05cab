"""``aftersales search_rebuild``: rebuild the search index from cases, customers and assets."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from aftersales.search.indexing import search_index_rebuild


class Command(BaseCommand):
    help = "Rebuild the search index (after adding dictionary words, or to repair it)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument(
            "--workers",
            type=int,
            default=2,
            help="processes that tokenise while the command reads and writes (default 2; "
            "0 or 1: tokenise in the command itself)",
        )
        parser.add_argument(
            "--online",
            action="store_true",
            help="upsert batch by batch in short transactions instead of one reload",
        )

    def handle(self, *args, batch_size: int, online: bool, workers: int, **options):
        verbosity = options.get("verbosity", 1)

        def progress(kind: str, done: int, seconds: float) -> None:
            if verbosity > 1:
                self.stdout.write(f"{kind}: {done} ({seconds:.1f} s)")

        counts = search_index_rebuild(
            batch_size=batch_size, online=online, workers=workers, progress=progress
        )
        summary = ", ".join(f"{kind} {n}" for kind, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {summary}"))
