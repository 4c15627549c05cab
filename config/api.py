"""The JSON API under ``/api/v1`` (OpenAPI at ``/api/openapi.json``, docs at ``/api/docs``)."""

from ninja import NinjaAPI
from ninja.operation import Operation

from aftersales.accounts.api import router as accounts_router
from aftersales.calendars.api import router as calendars_router
from aftersales.cases.api import router as cases_router
from aftersales.core.api import ObjectBodyParser, install_error_handlers
from aftersales.core.api import router as audit_router
from aftersales.customers.api import router as customers_router
from aftersales.parts.api import router as parts_router
from aftersales.purchasing.api import router as purchasing_router
from aftersales.routing.api import router as routing_router
from aftersales.search.api import router as search_router
from aftersales.sla.api import router as sla_router
from aftersales.workorders.api import router as workorders_router

from .api_auth import AUTH


class ServiceAPI(NinjaAPI):
    """The project's API: one rule names every operation for the clients generated from it.

    An operation's id is ``<app>_<action>``. ``<app>`` is the tag its router is mounted with
    below, lower case without spaces (``Cases`` → ``cases``, ``Work orders`` → ``workorders``);
    ``<action>`` is the view function's name without the app's own noun (``case_create`` in
    Cases → ``cases_create``, ``attachment_list`` → ``cases_attachment_list``), its last word
    read through ``VERB_SYNONYMS`` (``case_detail`` → ``cases_get``). A generated client calls
    the operation by that name; ``tests_api/test_operation_ids.py`` holds the committed list
    that keeps every id stable.
    """

    VERB_SYNONYMS = {"detail": "get", "patch": "update", "endpoint": "query"}

    def get_openapi_operation_id(self, operation: Operation) -> str:
        tag = (operation.tags or ["api"])[0]
        prefix = tag.lower().replace(" ", "")
        noun = prefix.removesuffix("s")
        action = operation.view_func.__name__
        for own in (prefix, noun):
            if action == own:
                action = ""
                break
            if action.startswith(own + "_"):
                action = action[len(own) + 1 :]
                break
        head, _, verb = action.rpartition("_")
        verb = self.VERB_SYNONYMS.get(verb, verb)
        return "_".join(part for part in (prefix, head, verb) if part)


api = ServiceAPI(
    title="aftersales API",
    version="1",
    description="After-sales service management: customers, assets, service cases, timeline, "
    "attachments and status transitions. Authenticate with a browser session (CSRF token "
    "required for writes) or an `X-API-Key` header.",
    auth=AUTH,
    parser=ObjectBodyParser(),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
install_error_handlers(api)
api.add_router("/v1/", accounts_router, tags=["Accounts"])
api.add_router("/v1/", customers_router, tags=["Customers"])
api.add_router("/v1/", cases_router, tags=["Cases"])
api.add_router("/v1/", audit_router, tags=["Audit"])
api.add_router("/v1/", search_router, tags=["Search"])
api.add_router("/v1/", calendars_router, tags=["Calendars"])
api.add_router("/v1/", sla_router, tags=["SLA"])
api.add_router("/v1/", routing_router, tags=["Routing"])
api.add_router("/v1/", workorders_router, tags=["Work orders"])
api.add_router("/v1/", parts_router, tags=["Parts"])
api.add_router("/v1/", purchasing_router, tags=["Purchasing"])
