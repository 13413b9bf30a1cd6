from django.urls import path

from kehu.development import views, views_pipeline

app_name = "development"

urlpatterns = [
    path("", views.lead_list, name="leads"),
    path("new/", views.lead_create, name="lead_create"),
    path("reviews/", views.review_list, name="reviews"),
    path("pipeline/", views_pipeline.pipeline, name="pipeline"),
    path("opportunities/<int:pk>/move/", views_pipeline.opportunity_move, name="opportunity_move"),
    path("report/", views_pipeline.report, name="report"),
    path("customers/<int:customer_pk>/card/", views_pipeline.customer_card, name="customer_card"),
    path("<int:pk>/", views.lead_detail, name="lead_detail"),
    path("<int:pk>/man/", views.lead_man, name="lead_man"),
    path("<int:pk>/grade/", views.lead_grade, name="lead_grade"),
    path("<int:pk>/touch/", views.lead_touch, name="lead_touch"),
    path("<int:pk>/disqualify/", views.lead_disqualify, name="lead_disqualify"),
    path("<int:pk>/convert/", views.lead_convert, name="lead_convert"),
    path("cards/<int:pk>/reviewed/", views.card_reviewed, name="card_reviewed"),
    path("cards/<int:pk>/contacted/<str:kind>/", views.card_contacted, name="card_contacted"),
]
