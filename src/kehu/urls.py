from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from kehu.api.api import api
from kehu.core import views as core_views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="customers:list", permanent=False)),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="core/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("language/", core_views.set_language, name="set_language"),
    path("me/", core_views.profile, name="profile"),
    path("customers/", include("kehu.customers.urls")),
    path("insights/", include("kehu.insights.urls")),
    path("quality/", include("kehu.quality.urls")),
    path("imports/", include("kehu.imports.urls")),
    path("account/tokens/", include("kehu.api.urls_tokens")),
    path("api/v1/", api.urls),
]
