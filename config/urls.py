from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from .api import api

urlpatterns = [
    path("", include("aftersales.core.urls")),
    path("accounts/", include("aftersales.accounts.urls")),
    path("cases/", include("aftersales.cases.urls")),
    path("customers/", include("aftersales.customers.urls")),
    path("portal/", include("aftersales.portal.urls")),
    path("search/", include("aftersales.search.urls")),
    path("calendars/", include("aftersales.calendars.urls")),
    path("sla/", include("aftersales.sla.urls")),
    path("routing/", include("aftersales.routing.urls")),
    path("workorders/", include("aftersales.workorders.urls")),
    path("parts/", include("aftersales.parts.urls")),
    path("purchasing/", include("aftersales.purchasing.urls")),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
