from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from stemnet.api import api
from stemnet.core import views as core_views

# The admin has no login of its own: it sends people to the site's login, with its rate
# limits and two-factor authentication (allauth's secure_admin_login).
admin.site.login = secure_admin_login(admin.site.login)

handler400 = "stemnet.core.views.bad_request"
handler403 = "stemnet.core.views.permission_denied"
handler404 = "stemnet.core.views.page_not_found"
handler500 = "stemnet.core.views.server_error"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("account/", include("stemnet.accounts.urls")),
    path("organisaties/", include("stemnet.organisations.urls")),
    path("agenda/", include("stemnet.agenda.urls")),
    path("evenementen/", include("stemnet.events.urls")),
    path("uitlenen/", include("stemnet.lending.urls")),
    path("uit/", include("stemnet.uit.urls")),
    path("bereik/", include("stemnet.reach.urls")),
    path("contactpunt/", include("stemnet.matching.urls")),
    path("beoordeling/", include("stemnet.scoring.urls")),
    path("stempact/", include("stemnet.stempact.urls")),
    path("participatie/", include("stemnet.participation.urls")),
    path("financiering/", include("stemnet.funding.urls")),
    path("nieuwsbrief/", include("stemnet.newsletters.urls")),
    path("plaatsen/", include("stemnet.places.urls")),
    path("", include("stemnet.portal.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
