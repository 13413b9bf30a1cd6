from django.urls import path

from kehu.privacy import views

app_name = "privacy"
urlpatterns = [
    path("customers/<int:pk>/personal-data/", views.export, name="export"),
    path("customers/<int:pk>/erase/", views.erase, name="erase"),
]
