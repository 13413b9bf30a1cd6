from django.urls import path

from kehu.quality import views

app_name = "quality"

urlpatterns = [
    path("", views.home, name="home"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("duplicates/<int:pk>/merge/", views.pair_merge, name="pair_merge"),
    path("duplicates/<int:pk>/reject/", views.pair_reject, name="pair_reject"),
    path("merges/<int:pk>/undo/", views.merge_undo, name="merge_undo"),
    path("duplicate-check/", views.duplicate_check, name="duplicate_check"),
]
