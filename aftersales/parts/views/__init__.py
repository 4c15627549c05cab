"""Staff screens of the parts app: catalog, locations, movements, ledger, replenishment."""
