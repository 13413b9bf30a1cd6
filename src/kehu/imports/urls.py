from django.urls import path

from kehu.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.import_list, name="list"),
    path("upload/", views.import_upload, name="upload"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/errors.<str:fmt>", views.import_errors, name="errors"),
]
