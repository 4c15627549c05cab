"""What a person reads on a page, and the words in it that no person should read.

:func:`visible_text` keeps the text nodes of an HTML page and the attributes a person sees or hears
(``title``, ``placeholder``, ``aria-label``, ``alt`` and the value of a button); it drops scripts,
styles, every other attribute and what is marked ``translate="no"`` (a file format's sample);
a form field's hint may show a duration as it is typed (``8wh``).
:func:`findings` names what gives an internal code away: a snake_case identifier, a Python value
(``None``, ``{'…``), a stored choice value shown instead of its label, or (on a Chinese page) an
English word that was never translated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from html.parser import HTMLParser

from django.utils import translation

_SKIP = {"script", "style", "template", "noscript", "svg", "head"}
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
_SEEN_ATTRS = ("title", "placeholder", "aria-label", "alt")
_BUTTON_TYPES = {"submit", "button", "reset"}


class Hint(str):
    """The text of a form field's hint (``form-text``): it may show what to type, such as a
    duration written ``8wh``."""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skipping: list[str] = []
        self.texts: list[str] = []
        self.title: list[str] = []
        self.in_title = False
        self.hint_depth = 0  # open elements inside a form field's hint

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        literal = dict(attrs).get("translate") == "no"  # a file format, a code sample
        if self.skipping or tag in _SKIP or literal:
            if tag not in _VOID:
                self.skipping.append(tag)
            return
        values = dict(attrs)
        if tag not in _VOID and (self.hint_depth or "form-text" in (values.get("class") or "")):
            self.hint_depth += 1
        for name in _SEEN_ATTRS:
            if values.get(name):
                self.texts.append(values[name] or "")
        if tag == "input" and (values.get("type") or "").lower() in _BUTTON_TYPES:
            self.texts.append(values.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if self.skipping and tag == self.skipping[-1]:
            self.skipping.pop()
        elif self.hint_depth and not self.skipping:
            self.hint_depth -= 1

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.skipping:
            self.texts.append(Hint(data) if self.hint_depth else data)


def visible_text(html: str) -> list[str]:
    """The strings a person sees on ``html``: the page title, every text node outside scripts
    and styles, and the attributes read aloud or shown as a hint; blank ones dropped."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    texts = ["".join(reader.title), *reader.texts]
    return [type(t)(" ".join(t.split())) for t in texts if t and t.strip()]


# Data and names that are written the same in every language.
ALLOWED_WORDS = {
    # products, formats and standards the people know by these names
    "API",
    "SLA",
    "PDF",
    "Excel",
    "CSV",
    "XLSX",
    "JSON",
    "OpenAPI",
    "HTTP",
    "HTTPS",
    "URL",
    "VIN",
    "IMEI",
    "ABC",
    "ID",
    "PNG",
    "JPEG",
    "WeChat",
    "English",
    "aftersales",
    "Swagger",
    "chinesecalendar",  # the package the public holidays come from
    "GB",
    "MB",
    "KB",
    "km",
    "kg",
    "pcs",
    # the demo world's data: product brand, unit codes
    "RMB",
    "CNY",
}
# URLs and paths, e-mail addresses, media types (image/png) and time zones (Asia/Shanghai)
_URL = re.compile(
    r"(?:https?://|/)[\w\-./?=&%#:+~]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b(?:image|application|text)/[\w.+-]+|\b[A-Z][a-z]+/[A-Z][A-Za-z_]+"
)
# a service-level duration code (24h, 4wh, 1wd): in words on a Chinese page, and the working-time
# codes in words on an English one too
_DURATION_ANY = re.compile(r"(?<![\w.])\+?\d+(?:wm|wh|wd|m|h|d)(?![\w])")
_DURATION_WORKING = re.compile(r"(?<![\w.])\+?\d+(?:wm|wh|wd)(?![\w])")
_SNAKE = re.compile(r"(?<![\w-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w-])")
_REPR = re.compile(r"\{'|'\}|\['|'\]|<\w+ object at|^(?:None|True|False)$")
# an English word: letters only, not part of a code such as KFR-35GW or SC-2026-000123
_WORD = re.compile(r"(?<![\w\-./@])[A-Za-z][a-z]+(?:'[a-z]+)?(?![\w\-@])")


@cache
def stored_codes() -> frozenset[str]:
    """Every choice value a model field stores whose label reads differently: shown alone, the
    value is the code instead of the label (``met``, ``washer``, ``on_the_way``)."""
    from django.apps import apps

    codes: set[str] = set()
    with translation.override("en"):
        for model in apps.get_models():
            if not model.__module__.startswith("aftersales."):
                continue
            for field in model._meta.get_fields():
                for value, label in getattr(field, "flatchoices", None) or ():
                    if isinstance(value, str) and value and value != str(label):
                        codes.add(value)
    return frozenset(codes)


def findings(texts: Iterable[str], language: str, allowed: Iterable[str] = ()) -> list[str]:
    """What in ``texts`` a person should not read on a page in ``language``; ``allowed`` adds
    the data of the page (names, user names, codes) to :data:`ALLOWED_WORDS`."""
    allow = ALLOWED_WORDS | set(allowed)
    codes = stored_codes() - allow
    found: list[str] = []
    for text in texts:
        if text in allow:
            continue
        bare = _URL.sub(" ", text)
        for word in allow:
            if not word.isalpha():
                bare = bare.replace(word, " ")
        for hit in _SNAKE.findall(bare):
            if hit not in allow:
                found.append(f"code {hit!r} in {text!r}")
        for hit in _REPR.findall(bare.strip()):
            found.append(f"python {hit!r} in {text!r}")
        zh = language.startswith("zh")
        durations = () if isinstance(text, Hint) else (_DURATION_ANY if zh else _DURATION_WORKING)
        for hit in durations and durations.findall(bare):
            found.append(f"duration code {hit!r} in {text!r}")
        if not language.startswith("zh"):
            continue
        # on an English page a label may read like its value ("active"); on a Chinese one not
        if bare.strip() in codes:
            found.append(f"stored value {bare.strip()!r}")
        english = [w for w in _WORD.findall(bare) if w not in allow and "_" not in w]
        if english:
            found.append(f"english {' '.join(english)!r} in {text!r}")
    return found
