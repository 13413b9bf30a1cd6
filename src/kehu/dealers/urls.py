from django.urls import path

from kehu.dealers import views

app_name = "dealers"

urlpatterns = [
    path("", views.onboarding_list, name="list"),
    path("start/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/contract-file/", views.contract_file, name="contract_file"),
    path("<int:pk>/credit/", views.credit_step, name="credit"),
    path("<int:pk>/terms/", views.terms_step, name="terms"),
    path("<int:pk>/contract/", views.contract_step, name="contract"),
    path("<int:pk>/approve/", views.approve_step, name="approve"),
    path("<int:pk>/reject/", views.reject_step, name="reject"),
    path("<int:pk>/users/", views.add_user, name="add_user"),
]
