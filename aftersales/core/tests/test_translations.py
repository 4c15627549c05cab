"""Both catalogs are complete: every translatable string in code and templates has a zh-Hans
and an English entry, none fuzzy, and placeholders survive translation (R16.5)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

LOCALES = ["zh_Hans", "en"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{ *\w+ *\}\}")


@pytest.fixture(scope="module")
def fresh_catalogs(tmp_path_factory):
    """Run makemessages over the source into a copy of the catalogs, so new strings show up."""
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext is required (apt-get install gettext)")
    source = Path(settings.LOCALE_PATHS[0])
    target = tmp_path_factory.mktemp("locale")
    shutil.copytree(source, target, dirs_exist_ok=True)
    original = settings.LOCALE_PATHS
    settings.LOCALE_PATHS = [str(target)]
    try:
        call_command(
            "makemessages",
            locale=LOCALES,
            ignore_patterns=[
                ".venv/*",
                "node_modules/*",
                "var/*",
                "bench/*",
                "test-artifacts/*",
                # the real catalogs: otherwise makemessages updates them instead of the copy
                "aftersales/locale",
            ],
            no_obsolete=True,
            verbosity=0,
        )
    finally:
        settings.LOCALE_PATHS = original
    return target


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_is_complete(fresh_catalogs, locale):
    po = polib.pofile(str(fresh_catalogs / locale / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in po if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    assert not missing, f"{len(missing)} untranslated in {locale}: {missing[:20]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {locale}: {fuzzy[:20]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_survive_translation(locale):
    po = polib.pofile(str(Path(settings.LOCALE_PATHS[0]) / locale / "LC_MESSAGES" / "django.po"))
    for entry in po.translated_entries():
        wanted = sorted(PLACEHOLDER.findall(entry.msgid))
        if entry.msgid_plural:
            for text in entry.msgstr_plural.values():
                assert sorted(PLACEHOLDER.findall(text)) == wanted, entry.msgid
        else:
            assert sorted(PLACEHOLDER.findall(entry.msgstr)) == wanted, entry.msgid


def test_chinese_is_the_default_language(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert 'lang="zh-CN"' in response.content.decode()
    assert "登录" in response.content.decode()
    english = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Sign in" in english.content.decode()
