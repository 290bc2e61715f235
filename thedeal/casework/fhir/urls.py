from django.urls import path

from thedeal.casework.fhir import views

app_name = "fhir"

urlpatterns = [
    path("", views.transaction, name="base"),
    path("metadata", views.metadata, name="metadata"),
    path("Patient/<str:id>", views.read_patient, name="patient"),
    path("ServiceRequest", views.search_service_requests, name="service-requests"),
    path("ServiceRequest/<str:id>", views.read_service_request, name="service-request"),
    path("Task", views.search_tasks, name="tasks"),
    path("Task/<str:id>", views.read_task, name="task"),
]
