"""The evaluation's and the savings ledger's pages, added to `insight.urls` (whose app name,
"insight", they take): the public page, and the staff's pages for analysts and administrators."""

from django.urls import path

from thedeal.insight import ledger_views

urlpatterns = [
    path("achieved/", ledger_views.achieved, name="achieved"),
    path("achieved/savings-ledger.csv", ledger_views.achieved_csv, name="achieved-csv"),
    path("evaluation/", ledger_views.evaluation, name="evaluation"),
    path("costs/", ledger_views.costs, name="costs"),
    path("costs/new/", ledger_views.cost_new, name="cost-new"),
    path("costs/<int:pk>/", ledger_views.cost_change, name="cost-change"),
    path("costs/<int:pk>/remove/", ledger_views.cost_remove, name="cost-remove"),
    path("costs/settings/", ledger_views.ledger_settings, name="ledger-settings"),
]
