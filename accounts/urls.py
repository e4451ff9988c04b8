from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.account_list, name="account_list"),
    path("new/", views.account_create, name="account_create"),
    path("<int:pk>/", views.account_detail, name="account_detail"),
    path("<int:pk>/edit/", views.account_update, name="account_update"),
    path("<int:pk>/deactivate/", views.account_set_active, {"active": False}, name="account_deactivate"),
    path("<int:pk>/reactivate/", views.account_set_active, {"active": True}, name="account_reactivate"),
    path("<int:pk>/password/", views.account_reset_password, name="account_reset_password"),
    path("<int:pk>/unlock/", views.account_unlock, name="account_unlock"),
    path("<int:pk>/roles/", views.role_grant, name="role_grant"),
    path("<int:pk>/roles/revoke/", views.role_revoke, name="role_revoke"),
    path("inspectors/<int:pk>/", views.inspector_account, name="inspector_account"),
    path("lookups/units/", views.lookup_units, name="lookup_units"),
    path("lookups/users/", views.lookup_link_users, name="lookup_link_users"),
]
