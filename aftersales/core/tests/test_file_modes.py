"""Data, media and secret files are created readable by their owner only (a fresh data folder,
a process started with the usual umask 022)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

from django.conf import settings

SCRIPT = """
import json, os, django
django.setup()
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import connection
from huey.contrib.djhuey import HUEY
connection.ensure_connection()
with connection.cursor() as c:
    c.execute("CREATE TABLE t (x int)")
HUEY.storage.enqueued_items()
name = default_storage.save("attachments/2026/photo.jpg", ContentFile(b"jpeg"))
send_mail("s", "b", "from@example.com", ["to@example.com"])
print(json.dumps({"media": default_storage.path(name), "mail": settings.EMAIL_FILE_PATH}))
"""


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_fresh_data_folder_is_owner_only(tmp_path):
    var = tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        AFTERSALES_VAR_DIR=str(var),
        DJANGO_SETTINGS_MODULE="config.settings",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        STATIC_NO_MANIFEST="1",
    )
    env.pop("DATABASE_URL", None)
    env.pop("SECRET_KEY", None)
    env.pop("REDIS_URL", None)
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=lambda: os.umask(0o022),
        check=True,
    )
    paths = json.loads(out.stdout.strip().splitlines()[-1])
    assert _mode(var) == 0o700
    for name in ("secret_key", "aftersales.sqlite3", "huey.sqlite3"):
        assert _mode(var / name) == 0o600, name
    assert _mode(paths["media"]) == 0o600
    assert _mode(os.path.dirname(paths["media"])) == 0o700
    mails = os.listdir(paths["mail"])
    assert mails and _mode(os.path.join(paths["mail"], mails[0])) & 0o077 == 0
    # nothing in the folder is readable, writable or listable by group or others
    for root, dirs, files in os.walk(var):
        for entry in dirs + files:
            assert _mode(os.path.join(root, entry)) & 0o077 == 0, entry
