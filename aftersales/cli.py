"""The ``aftersales`` console script: Django's management commands under the product's name
(``aftersales migrate``, ``aftersales demo_load``, ``aftersales serve`` …)."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["aftersales", *sys.argv[1:]])


if __name__ == "__main__":
    main()
