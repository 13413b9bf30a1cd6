"""The project's URLs plus the token pages, until kehu.urls includes them."""

from django.urls import include, path

from kehu.urls import urlpatterns as project_urls

urlpatterns = [
    *project_urls,
    path("account/tokens/", include("kehu.api.urls_tokens")),
]
