from django.urls import path

from kehu.customers import views, views_ownership

app_name = "customers"

urlpatterns = [
    path("", views.customer_list, name="list"),
    path("new/", views.customer_create, name="create"),
    path("pick/", views.customer_picker, name="picker"),
    path("owners/", views_ownership.owner_picker, name="owner_picker"),
    path("bulk-reassign/", views_ownership.customer_bulk_reassign, name="bulk_reassign"),
    path("pool/", views_ownership.customer_pool, name="pool"),
    path("divisions/", views.division_options, name="divisions"),
    path("export.csv", views.customer_export, name="export"),
    path("<int:pk>/claim/", views_ownership.customer_claim, name="claim"),
    path("<int:pk>/", views.customer_detail, name="detail"),
    path("<int:pk>/edit/", views.customer_edit, name="edit"),
    path("<int:pk>/history/", views.customer_history, name="history"),
    path("<int:pk>/timeline/", views.customer_timeline, name="timeline"),
    path("<int:pk>/records/<str:tab>/", views.customer_records, name="records"),
    path("<int:pk>/interactions/new/", views.interaction_create, name="interaction_create"),
    path("<int:pk>/reassign/", views.customer_reassign, name="reassign"),
    path("<int:pk>/archive/", views.customer_archive, name="archive"),
    path("<int:pk>/relations/new/", views.relation_create, name="relation_create"),
    path(
        "<int:pk>/relations/<int:relation_pk>/delete/",
        views.relation_delete,
        name="relation_delete",
    ),
    path("<int:pk>/share/", views.customer_share, name="share"),
]
