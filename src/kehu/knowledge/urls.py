from django.urls import path

from kehu.knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("", views.article_list, name="list"),
    path("new/", views.new, name="new"),
    path("links/", views.link_search, name="link_search"),
    path("from-ticket/<int:ticket_pk>/", views.from_ticket, name="from_ticket"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/publish/", views.publish, name="publish"),
]
