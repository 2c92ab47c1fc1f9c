"""Thin views: parse input, authorise with rules, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stemnet.organisations import sections, selectors, services
from stemnet.organisations.forms import (
    InvitationForm,
    MembershipRoleForm,
    OrganisationForm,
    OrganisationSearchForm,
    PartnershipMemberForm,
)
from stemnet.organisations.models import Invitation, Membership, Organisation, PartnershipMember

PAGE_SIZE = 20


def _add_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _organisation_for(request, slug: str, perm: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm(perm, organisation):
        raise PermissionDenied(
            _("Only the coordinators of %(name)s may do this.") % {"name": organisation.name}
        )
    return organisation


def organisation_list(request):
    form = OrganisationSearchForm(request.GET)
    page = None
    if form.is_valid():
        try:
            results = selectors.organisation_search(**form.search_arguments())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "organisations/organisation_list.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {"form": form, "page": page, "query": query.urlencode()},
    )


def organisation_detail(request, slug):
    organisation = selectors.organisation_get(slug)
    user = request.user
    return render(
        request,
        "organisations/organisation_detail.html",
        {
            "organisation": organisation,
            "can_edit": user.is_authenticated
            and user.has_perm("organisations.change_organisation", organisation),
            "can_manage_members": user.is_authenticated
            and user.has_perm("organisations.manage_members", organisation),
            # What apps to the right add (the agenda: upcoming activities); see sections.
            "sections": sections.render(request, organisation),
        },
    )


@login_required
def organisation_edit(request, slug):
    organisation = _organisation_for(request, slug, "organisations.change_organisation")
    if request.method == "POST":
        form = OrganisationForm(request.POST, request.FILES, instance=organisation)
        if form.is_valid():
            try:
                services.organisation_update(
                    organisation=organisation, actor=request.user, data=form.cleaned_data
                )
            except ValidationError as error:
                organisation.refresh_from_db()
                _add_errors(form, error)
            else:
                messages.success(request, _("The changes have been saved."))
                return redirect(organisation)
    else:
        form = OrganisationForm(
            instance=organisation,
            initial={"municipalities_served": list(organisation.municipalities_served.all())},
        )
    return render(
        request,
        "organisations/organisation_edit.html",
        {"organisation": organisation, "form": form},
    )


def _members_page(request, organisation, *, invitation_form=None, partner_form=None, status=200):
    members = list(selectors.members_of(organisation))
    for membership in members:
        membership.role_form = MembershipRoleForm(
            initial={"role": membership.role},
            prefix=f"m{membership.pk}",
            current_role=membership.role,
        )
    return render(
        request,
        "organisations/membership_list.html",
        {
            "organisation": organisation,
            "members": members,
            "invitations": selectors.invitations_pending(organisation),
            "invitation_form": invitation_form or InvitationForm(),
        },
        status=status,
    )


@login_required
def membership_list(request, slug):
    organisation = _organisation_for(request, slug, "organisations.manage_members")
    return _members_page(request, organisation)


@login_required
@require_POST
def invitation_create(request, slug):
    organisation = _organisation_for(request, slug, "organisations.manage_members")
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invitation_create(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                actor=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("An invitation has been sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect("organisations:membership_list", slug=organisation.slug)
    return _members_page(request, organisation, invitation_form=form, status=422)


@login_required
@require_POST
def membership_change_role(request, slug, pk):
    organisation = _organisation_for(request, slug, "organisations.manage_members")
    membership = get_object_or_404(Membership, pk=pk, organisation=organisation)
    form = MembershipRoleForm(
        request.POST, prefix=f"m{membership.pk}", current_role=membership.role
    )
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
    else:
        try:
            services.membership_change_role(
                membership=membership, role=form.cleaned_data["role"], actor=request.user
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(
                request,
                _("%(person)s is now %(role)s.")
                % {"person": membership.user, "role": membership.get_role_display()},
            )
    return redirect("organisations:membership_list", slug=organisation.slug)


@login_required
@require_POST
def membership_remove(request, slug, pk):
    organisation = _organisation_for(request, slug, "organisations.manage_members")
    membership = get_object_or_404(Membership, pk=pk, organisation=organisation)
    try:
        services.membership_remove(membership=membership, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("%(person)s is no longer a member of %(name)s.")
            % {"person": membership.user, "name": organisation.name},
        )
    return redirect("organisations:membership_list", slug=organisation.slug)


@login_required
@require_POST
def invitation_revoke(request, slug, pk):
    organisation = _organisation_for(request, slug, "organisations.manage_members")
    invitation = get_object_or_404(Invitation, pk=pk, organisation=organisation)
    try:
        services.invitation_revoke(invitation=invitation, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("The invitation to %(email)s has been withdrawn.") % {"email": invitation.email},
        )
    return redirect("organisations:membership_list", slug=organisation.slug)


@login_required
def invitation_accept(request, token):
    invitation = selectors.invitation_get(token)
    if invitation is None:
        return render(
            request,
            "organisations/invitation_accept.html",
            {
                "invitation": None,
                "error": _("This invitation does not exist or has been withdrawn."),
            },
            status=404,
        )
    error = ""
    status = 410
    if request.method == "POST":
        try:
            services.invitation_accept(token=token, user=request.user)
        except ValidationError as exc:
            error = _error_text(exc)
            if exc.code == "invitation_other_recipient":
                status = 403
        else:
            messages.success(
                request,
                _("Welcome! You are now a member of %(name)s.")
                % {"name": invitation.organisation.name},
            )
            return redirect(invitation.organisation)
    elif invitation.accepted_at is not None:
        error = _("This invitation has already been used. Ask the coordinator for a new one.")
    elif invitation.expires_at <= timezone.now():
        error = _("This invitation has expired. Ask the coordinator for a new one.")
    elif not selectors.invitation_is_for(invitation, request.user):
        error = _error_text(selectors.invitation_recipient_error(invitation, request.user))
        status = 403
    return render(
        request,
        "organisations/invitation_accept.html",
        {"invitation": invitation, "error": error},
        status=status if error else 200,
    )


def _partners_page(request, partnership, *, form=None, status=200):
    return render(
        request,
        "organisations/partnershipmember_list.html",
        {
            "organisation": partnership,
            "partners": selectors.partners_of(partnership),
            "form": form or PartnershipMemberForm(partnership=partnership),
        },
        status=status,
    )


@login_required
def partnershipmember_list(request, slug):
    partnership = _organisation_for(request, slug, "organisations.change_organisation")
    if partnership.type != Organisation.Type.PARTNERSHIP:
        raise PermissionDenied(_("Only a STEM partnership can have partner organisations."))
    if request.method == "POST":
        form = PartnershipMemberForm(request.POST, partnership=partnership)
        if form.is_valid():
            try:
                services.partnership_member_add(
                    partnership=partnership,
                    member=form.cleaned_data["member"],
                    role=form.cleaned_data["role"],
                    actor=request.user,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s is now a partner.") % {"name": form.cleaned_data["member"].name},
                )
                return redirect("organisations:partnershipmember_list", slug=partnership.slug)
        return _partners_page(request, partnership, form=form, status=422)
    return _partners_page(request, partnership)


@login_required
@require_POST
def partnershipmember_remove(request, slug, pk):
    partnership = _organisation_for(request, slug, "organisations.change_organisation")
    link = get_object_or_404(
        PartnershipMember.objects.select_related("member"), pk=pk, partnership=partnership
    )
    services.partnership_member_remove(partnership_member=link, actor=request.user)
    messages.success(request, _("%(name)s is no longer a partner.") % {"name": link.member.name})
    return redirect("organisations:partnershipmember_list", slug=partnership.slug)
