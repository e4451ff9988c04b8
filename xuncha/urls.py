from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.views import PasswordChangeView

from . import views
from .forms import LoginForm

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("setup/", views.setup, name="setup"),
    path("setup/county/", views.setup_county, name="setup_county"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", PasswordChangeView.as_view(), name="password_change"),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("findings/", include("findings.urls")),
    path("admin/", admin.site.urls),
    path("dashboard/", include("xuncha.dashboard.urls")),
    path("ledgers/", include("xuncha.exports.urls")),
    path("api/", include("api.urls")),
    path("", include("rounds.urls")),
    path("rectification/", include("rectification.urls")),
]

if settings.BENCHMARK_FLOOR:  # bench/dashboard.py: the framework's own cost, measured beside the pages
    from . import floor

    urlpatterns += [path("_bench/floor0", floor.floor0), path("_bench/floor1", floor.floor1)]

handler500 = "xuncha.views.server_error"
