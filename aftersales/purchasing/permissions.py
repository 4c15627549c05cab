"""The permissions purchasing checks, by name (granted to roles in accounts/roles.py)."""

VIEW = "purchasing.view_purchaseorder"  # suppliers, orders, returns, batches, scorecard, prices
BUY = "purchasing.add_purchaseorder"  # orders, receipts, incoming inspection, returns
MANAGE_SUPPLIERS = "purchasing.change_supplier"  # suppliers, price lists, ratings
RECALL = "purchasing.recall_batch"
REQUEST_PRICE = "purchasing.add_pricechange"
APPROVE_PRICE = "purchasing.approve_pricechange"
FIGURES = "purchasing.view_figures"
