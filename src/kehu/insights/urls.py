from django.urls import path

from kehu.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.report, name="report"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("settings/", views.settings_page, name="settings"),
    path("run/", views.run_now, name="run_now"),
]
