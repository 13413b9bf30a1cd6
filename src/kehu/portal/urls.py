from django.urls import path

from kehu.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_page, name="login"),
    path("signin/<str:token>/", views.signin, name="signin"),
    path("logout/", views.logout_view, name="logout"),
    path("tickets/new/", views.new_ticket, name="new"),
    path("tickets/<int:pk>/", views.detail, name="detail"),
    path("tickets/<int:pk>/reply/", views.reply, name="reply"),
    path("tickets/<int:pk>/rate/", views.rate, name="rate"),
    # The public knowledge base (kehu.knowledge's public_articles), read in the portal.
    path("help/", views.help_list, name="help"),
    path("help/<int:pk>/", views.help_article, name="help_article"),
    # Staff: invite a customer's contact (from the 360 page).
    path("invite/<int:customer_pk>/", views.invite, name="invite"),
]
