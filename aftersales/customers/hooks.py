"""Hooks on customers and their products: where other apps follow a customer's record without
``customers`` importing them. The search index registers here (``SearchConfig.ready``) to keep
customer and product entries current inside the change's transaction.

=================  ===============================================  ===================
hook               when                                             consumers today
=================  ===============================================  ===================
customer_changed   a customer was created or its details, contacts  search (20)
                   or sign-up changed
asset_changed      a product owned was registered or edited         search (20)
=================  ===============================================  ===================
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from aftersales.core.hooks import Hook

if TYPE_CHECKING:
    from .models import Asset, Customer

ORDER_SEARCH = 20


@dataclass(frozen=True)
class CustomerChanged:
    customer: Customer


@dataclass(frozen=True)
class AssetChanged:
    asset: Asset


customer_changed: Hook[CustomerChanged] = Hook("customer_changed", CustomerChanged)
asset_changed: Hook[AssetChanged] = Hook("asset_changed", AssetChanged)
