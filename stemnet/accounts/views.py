import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stemnet.accounts import personal_data, selectors, services
from stemnet.accounts.forms import DeleteAccountForm, ProfileForm
from stemnet.accounts.i18n import set_language_cookie, url_in_language


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    form = ProfileForm(request.POST or None, initial={"name": user.name, "language": user.language})
    if request.method == "POST" and form.is_valid():
        old_language = user.language
        try:
            services.user_update_profile(
                user=user,
                actor=user,
                name=form.cleaned_data["name"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your profile has been saved."))
            url = reverse("accounts:profile")
            if user.language != old_language:
                response = redirect(url_in_language(url, user.language))
                return set_language_cookie(response, user.language)
            return redirect(url)
    memberships = list(selectors.user_memberships(user))
    roles = {m.role for m in memberships}
    context = {
        "form": form,
        "memberships": memberships,
        "is_coordinator": "coordinator" in roles,
        "is_reviewer": "reviewer" in roles,
        "is_vlaio_staff": any(
            m.organisation.type == "vlaio" and m.role != "reviewer" for m in memberships
        ),
        "has_totp": selectors.user_has_totp(user),
        "requires_mfa": selectors.user_requires_mfa(user),
    }
    return render(request, "accounts/user_profile.html", context)


@login_required
@require_http_methods(["GET"])
def data_export(request):
    """Everything STEMnet holds about the person, as a JSON download."""
    now = timezone.now()
    payload = {
        "generated_at": now,
        "service": "STEMnet",
        "data": personal_data.collect(request.user),
    }
    response = HttpResponse(
        json.dumps(payload, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    filename = f"stemnet-gegevens-{now:%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete(request):
    user = request.user
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_delete(user=user, actor=user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            logout(request)
            messages.success(request, _("Your account and your personal data have been deleted."))
            return redirect("portal:home")
    context = {"form": form, "sole_coordinator_of": selectors.user_sole_coordinator_of(user)}
    return render(request, "accounts/user_confirm_delete.html", context)
