from django.urls import path

from kehu.surveys import public

urlpatterns = [path("<str:token>/", public.answer, name="survey_answer")]
