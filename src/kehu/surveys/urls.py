from django.urls import path

from kehu.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.results, name="results"),
    path("loyalty/", views.loyalty, name="loyalty"),
    path("loyalty.csv", views.loyalty_csv, name="loyalty_csv"),
    path("responses/", views.responses, name="responses"),
    path("manage/", views.survey_list, name="list"),
    path("manage/new/", views.survey_new, name="new"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/<int:pk>/link/", views.relink, name="relink"),
    path("invite/<int:customer_pk>/", views.invite, name="invite"),
]
