"""Browser URLs of case work."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "casework"

urlpatterns = [
    path("victims/<uuid:pk>/", views.sections, name="sections"),
    path("victims/<uuid:pk>/notes/new/", views.note_new, name="note_new"),
    path("victims/<uuid:pk>/risk-assessments/new/", views.risk_assessment_new, name="risk_new"),
    path("victims/<uuid:pk>/care-plans/new/", views.care_plan_new, name="care_plan_new"),
    path("victims/<uuid:pk>/documents/new/", views.document_new, name="document_new"),
    path("victims/<uuid:pk>/consents/new/", views.consent_new, name="consent_new"),
    path("care-plans/<uuid:pk>/goals/new/", views.goal_new, name="goal_new"),
    path("tasks/<uuid:pk>/done/", views.task_done, name="task_done"),
    path("documents/<uuid:pk>/file/", views.document_file, name="document_file"),
]
