"""Browser URLs of cases, operations and prosecutions."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<uuid:pk>/", views.case_detail, name="case_detail"),
    path("cases/<uuid:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<uuid:pk>/close/", views.case_close, name="case_close"),
    path("cases/<uuid:pk>/victims/pick/", views.case_victim_picker, name="case_victim_picker"),
    path("cases/<uuid:pk>/victims/", views.case_add_victim, name="case_add_victim"),
    path("cases/<uuid:pk>/suspects/", views.case_add_suspect, name="case_add_suspect"),
    path("cases/<uuid:pk>/send-to-court/", views.case_send_to_court, name="case_send_to_court"),
    path("operations/", views.operation_list, name="operation_list"),
    path("operations/new/", views.operation_new, name="operation_new"),
    path("operations/<uuid:pk>/", views.operation_detail, name="operation_detail"),
    path("operations/<uuid:pk>/edit/", views.operation_edit, name="operation_edit"),
    path("prosecutions/", views.prosecution_list, name="prosecution_list"),
    path("prosecutions/new/", views.prosecution_new, name="prosecution_new"),
    path(
        "prosecutions/cases/pick/",
        views.prosecution_case_picker,
        name="prosecution_case_picker",
    ),
    path("prosecutions/<uuid:pk>/", views.prosecution_detail, name="prosecution_detail"),
    path("prosecutions/<uuid:pk>/edit/", views.prosecution_edit, name="prosecution_edit"),
    path(
        "prosecutions/<uuid:pk>/defendants/<int:defendant_pk>/verdict/",
        views.verdict_record,
        name="verdict_record",
    ),
]
