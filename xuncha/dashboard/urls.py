from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.index, name="index"),
    path("data.json", views.data, name="data"),
    path("units/", views.drilldown, {"name": "units"}, name="units"),
    path("inspections/", views.drilldown, {"name": "inspections"}, name="inspections"),
    path("findings/", views.drilldown, {"name": "findings"}, name="findings"),
    path("clues/", views.drilldown, {"name": "clues"}, name="clues"),
    path("petitions/", views.drilldown, {"name": "petitions"}, name="petitions"),
    path("tasks/", views.drilldown, {"name": "tasks"}, name="tasks"),
    path("units/rectification/", views.drilldown, {"name": "unit_rectification"}, name="unit_rectification"),
]
