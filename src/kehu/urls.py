from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from kehu.api.api import api
from kehu.retention import views as retention_views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="customers:list", permanent=False)),
    # Sign-in (throttled, with the optional second step), language, the user's own account.
    path("", include("kehu.core.urls")),
    path("admin/", admin.site.urls),
    path("customers/", include("kehu.customers.urls")),
    path("insights/", include("kehu.insights.urls")),
    path("quality/", include("kehu.quality.urls")),
    path("imports/", include("kehu.imports.urls")),
    path("privacy/", include("kehu.privacy.urls")),
    path("leads/", include("kehu.development.urls")),
    path("forms/", include("kehu.development.urls_public")),
    path("dealers/", include("kehu.dealers.urls")),
    path("retention/", include("kehu.retention.urls")),
    path("today/", retention_views.today, name="today"),
    path("notifications/", include("kehu.notifications.urls")),
    path("service/", include("kehu.service.urls")),
    path("knowledge/", include("kehu.knowledge.urls")),
    # Surveys: the staff pages, and the public answer page (no sign-in, one-time token).
    path("surveys/", include("kehu.surveys.urls")),
    path("s/", include("kehu.surveys.urls_public")),
    path("account/tokens/", include("kehu.api.urls_tokens")),
    path("portal/", include("kehu.portal.urls")),
    path("api/v1/", api.urls),
]
