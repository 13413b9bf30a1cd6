from django.urls import path

from kehu.retention import views, views_exports, views_targets

app_name = "retention"

urlpatterns = [
    path("tasks/<int:pk>/complete/", views.complete, name="complete"),
    path("policy/", views.policy_page, name="policy"),
    path("customers/<int:pk>/", views.customer_page, name="customer"),
    path("customers/<int:pk>/flag/", views.flag, name="flag"),
    path("customers/<int:pk>/unflag/", views.unflag, name="unflag"),
    path("customers/<int:pk>/exit/", views.record_exit, name="exit"),
    path("results/", views.results_list, name="results_list"),
    path("results/<str:group>/", views.results_page, name="results"),
    path("exits/", views.exits_page, name="exits"),
    path("targets/", views_targets.targets_page, name="targets"),
    path("targets/set/", views_targets.target_set, name="target_set"),
    path("exits/win-back.<str:fmt>", views_exports.winback_export, name="winback_export"),
    path(
        "results/<str:group>/export.<str:fmt>",
        views_exports.results_export,
        name="results_export",
    ),
    path("exits/export.<str:fmt>", views_exports.exits_export, name="exits_export"),
    path("targets/export.<str:fmt>", views_exports.targets_export, name="targets_export"),
]
