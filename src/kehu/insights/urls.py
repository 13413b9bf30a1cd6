from django.urls import path

from kehu.insights import views, views_churn, views_models

app_name = "insights"

urlpatterns = [
    path("", views.report, name="report"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("settings/", views.settings_page, name="settings"),
    path("run/", views.run_now, name="run_now"),
    path("churn/models/", views_models.churn_models, name="churn_models"),
    path("at-risk/", views_churn.at_risk, name="at_risk"),
    path("at-risk/export.csv", views_churn.at_risk_csv, name="at_risk_csv"),
    path("at-risk/export.xlsx", views_churn.at_risk_xlsx, name="at_risk_xlsx"),
    path("churn/", views_churn.report, name="churn_report"),
    path("churn/export.csv", views_churn.report_csv, name="churn_report_csv"),
    path("churn/export.xlsx", views_churn.report_xlsx, name="churn_report_xlsx"),
]

# The balanced report (H1, H2): kehu.insights.views_balanced.
from kehu.insights import views_balanced  # noqa: E402

urlpatterns += [
    path("balanced/", views_balanced.balanced, name="balanced"),
    path("balanced/export.csv", views_balanced.balanced_csv, name="balanced_csv"),
    path("balanced/export.xlsx", views_balanced.balanced_xlsx, name="balanced_xlsx"),
]
