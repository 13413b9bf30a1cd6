from django.urls import path

from kehu.service import views, views_calls_out, views_proactive

app_name = "service"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/note/", views.note, name="note"),
    path("<int:pk>/resolve/", views.resolve, name="resolve"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/status/", views.change_status, name="status"),
    path("<int:pk>/take/", views.take, name="take"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("calls/pop/", views.screen_pop, name="screen_pop"),
    path("calls/out/", views_calls_out.call_list, name="calls_out"),
    path("calls/out/<int:customer_id>/log/", views_calls_out.log, name="calls_out_log"),
    path("proactive/", views_proactive.suggestions, name="proactive"),
    path("proactive/<int:pk>/accept/", views_proactive.accept, name="proactive_accept"),
    path("proactive/<int:pk>/dismiss/", views_proactive.dismiss, name="proactive_dismiss"),
]

# Reports (H1, E4) and the holiday calendar (kehu.service.views_reports, views_calendar).
from kehu.service import views_calendar, views_reports  # noqa: E402

urlpatterns += [
    path("measures/", views_reports.measures_page, name="measures"),
    path("measures/export.csv", views_reports.measures_csv, name="measures_csv"),
    path("measures/export.xlsx", views_reports.measures_xlsx, name="measures_xlsx"),
    path("lessons/", views_reports.lessons_page, name="lessons"),
    path("calendar/", views_calendar.calendar_year, name="calendar"),
    path("calendar/seed/", views_calendar.calendar_seed, name="calendar_seed"),
    path("calendar/day/", views_calendar.calendar_day, name="calendar_day"),
]
