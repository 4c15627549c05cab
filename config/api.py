"""The JSON API under ``/api/v1`` (OpenAPI at ``/api/openapi.json``, docs at ``/api/docs``)."""

from ninja import NinjaAPI

from aftersales.accounts.api import router as accounts_router
from aftersales.calendars.api import router as calendars_router
from aftersales.cases.api import router as cases_router
from aftersales.core.api import install_error_handlers
from aftersales.core.api import router as audit_router
from aftersales.customers.api import router as customers_router
from aftersales.parts.api import router as parts_router
from aftersales.purchasing.api import router as purchasing_router
from aftersales.routing.api import router as routing_router
from aftersales.search.api import router as search_router
from aftersales.sla.api import router as sla_router
from aftersales.workorders.api import router as workorders_router

from .api_auth import AUTH

api = NinjaAPI(
    title="aftersales API",
    version="1",
    description="After-sales service management: customers, assets, service cases, timeline, "
    "attachments and status transitions. Authenticate with a browser session (CSRF token "
    "required for writes) or an `X-API-Key` header.",
    auth=AUTH,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
install_error_handlers(api)
api.add_router("/v1/", accounts_router)
api.add_router("/v1/", customers_router)
api.add_router("/v1/", cases_router)
api.add_router("/v1/", audit_router)
api.add_router("/v1/", search_router)
api.add_router("/v1/", calendars_router)
api.add_router("/v1/", sla_router)
api.add_router("/v1/", routing_router)
api.add_router("/v1/", workorders_router)
api.add_router("/v1/", parts_router)
api.add_router("/v1/", purchasing_router)
