"""Demo data for search: the user dictionary (brand, series and part names of the demo's
products that the segmenter would otherwise cut apart) and an index that covers everything
loaded, bulk rows included."""

from __future__ import annotations

from typing import Any

WORDS = [
    ("海澜", "品牌"),
    ("远航", "品牌"),
    ("静悦", "空调系列"),
    ("御风", "空调系列"),
    ("星途", "车型系列"),
    ("逸轩", "车型系列"),
    ("电控板", "配件"),
    ("四通阀", "配件"),
    ("冷凝器", "配件"),
    ("蒸发器", "配件"),
    ("排水泵", "配件"),
    ("门封条", "配件"),
    ("点火针", "配件"),
    ("电池包", "配件"),
    ("洗烘一体", "产品特征"),
    ("零冷水", "产品特征"),
]


def search_demo_load(out: Any = None) -> None:
    """Add the dictionary words; rebuild the index when words are new or rows are missing
    from it (bulk-generated customers, products and cases are written without services)."""
    from aftersales.cases.models import Case
    from aftersales.customers.models import Asset, Customer
    from aftersales.search.indexing import search_index_rebuild
    from aftersales.search.models import SearchEntry, SearchWord

    added = 0
    for word, note in WORDS:
        added += SearchWord.objects.get_or_create(word=word, defaults={"note": note})[1]
    objects = Case.objects.count() + Customer.objects.count() + Asset.objects.count()
    if added or SearchEntry.objects.count() != objects:
        counts = search_index_rebuild()
        if out is not None:
            out.write(f"Search index rebuilt: {sum(counts.values())} entries.")
