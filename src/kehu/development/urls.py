from django.urls import path

from kehu.development import views, views_pipeline, views_review, views_touches

app_name = "development"

urlpatterns = [
    path("", views.lead_list, name="leads"),
    path("new/", views.lead_create, name="lead_create"),
    path("reviews/", views.review_list, name="reviews"),
    path("pipeline/", views_pipeline.pipeline, name="pipeline"),
    path("opportunities/<int:pk>/move/", views_pipeline.opportunity_move, name="opportunity_move"),
    path("report/", views_pipeline.report, name="report"),
    path("report/day/", views_review.day_view, name="day"),
    path("report/reps/", views_review.rep_review, name="rep_review"),
    path("report/reps/<int:user_pk>/cards/", views_review.rep_cards, name="rep_cards"),
    path("customers/<int:customer_pk>/card/", views_pipeline.customer_card, name="customer_card"),
    path("touches/", views_touches.mailing, name="mailing"),
    path("touches/tasks/", views_touches.task_list, name="touch_tasks"),
    path("touches/tasks/<int:pk>/", views_touches.task_detail, name="touch_task"),
    path("touches/tasks/<int:pk>/done/", views_touches.task_done, name="touch_task_done"),
    path("touches/<str:kind>/<int:pk>/", views_touches.holder_touches, name="holder_touches"),
    path("<int:pk>/", views.lead_detail, name="lead_detail"),
    path("<int:pk>/man/", views.lead_man, name="lead_man"),
    path("<int:pk>/grade/", views.lead_grade, name="lead_grade"),
    path("<int:pk>/touch/", views.lead_touch, name="lead_touch"),
    path("<int:pk>/disqualify/", views.lead_disqualify, name="lead_disqualify"),
    path("<int:pk>/convert/", views.lead_convert, name="lead_convert"),
    path("cards/<int:pk>/reviewed/", views.card_reviewed, name="card_reviewed"),
    path("cards/<int:pk>/contacted/<str:kind>/", views.card_contacted, name="card_contacted"),
]
