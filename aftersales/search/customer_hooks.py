"""The search index follows customers and the products they own through the customer hooks
(registered in ``SearchConfig.ready``), inside the change's transaction."""

from __future__ import annotations

from aftersales.customers import hooks

from .indexing import index_asset, index_customer


def _customer_changed(p: hooks.CustomerChanged) -> None:
    index_customer(p.customer)


def _asset_changed(p: hooks.AssetChanged) -> None:
    index_asset(p.asset)


def register() -> None:
    hooks.customer_changed.register(_customer_changed, name="search", order=hooks.ORDER_SEARCH)
    hooks.asset_changed.register(_asset_changed, name="search", order=hooks.ORDER_SEARCH)
