from django.urls import path

from kehu.development import public

app_name = "development_public"

urlpatterns = [path("lead/", public.web_lead, name="web_lead")]
