"""Who may reach which URL: the declaration that ``test_authz_matrix`` checks.

Every named URL pattern of the site must be listed in ``ACCESS`` (or fall under a namespace of
``NAMESPACES``), with the roles that may reach it. A new view that is not declared here fails
the suite: add a line, and the matrix then checks that every other role is refused.

Roles (see ``test_authz_matrix.world``): objects belong to organisation A and its round.

* ``anonymous``: not logged in.
* ``user``: a logged-in parent without any membership.
* ``coordinator_b``: coordinator of organisation B, acting on A's objects.
* ``owner``: coordinator of organisation A (the applicant, the organiser).
* ``reviewer``: VLAIO reviewer pool, assigned to A's application (no conflict declared).
* ``vlaio``: VLAIO staff who is not an officer of A's round (named on another round).
* ``officer``: programme officer of A's round.
* ``superuser``: site administrator.

An entry is ``Access(roles, method, kwargs, query, data)``: ``method`` is the method the
allowed roles use (the others are refused on GET and on POST); ``kwargs(world)`` gives the
URL's arguments; ``query`` is added to the URL (``{org}``: A's slug); ``data(world)`` is the
form every role posts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ANON = "anonymous"
USER = "user"
OTHER = "coordinator_b"
OWNER = "owner"
REVIEWER = "reviewer"
VLAIO = "vlaio"
OFFICER = "officer"
SUPER = "superuser"
ROLES = [ANON, USER, OTHER, REVIEWER, VLAIO, OWNER, OFFICER, SUPER]

EVERYONE = frozenset(ROLES)
LOGGED_IN = EVERYONE - {ANON}
STAFF = frozenset({VLAIO, OFFICER, SUPER})  # VLAIO staff (not reviewers) and superusers
ROUND = frozenset({OFFICER, SUPER})  # the officers of A's round
OWNERS = frozenset({OWNER, SUPER})  # coordinators of organisation A
# Who reads an application: the applicant, its assigned reviewer (no conflict) and its officers.
READERS = frozenset({OWNER, REVIEWER, OFFICER, SUPER})
ATTENDEE = frozenset({USER, OWNER, SUPER})  # an event registration: its person, the organiser
COORDINATORS = frozenset({OTHER, OWNER})  # coordinators of some organisation
NOBODY = frozenset()  # by session: token-authenticated API operations


@dataclass(frozen=True)
class Access:
    roles: frozenset
    method: str = "GET"
    kwargs: Callable[[dict], dict] = field(default=lambda w: {})
    query: str = ""
    data: Callable[[dict], dict] = field(default=lambda w: {})


def pk(key: str) -> Callable[[dict], dict]:
    return lambda w: {"pk": w[key].pk}


def slug(w) -> dict:
    return {"slug": w["org_a"].slug}


def activity(w) -> dict:
    return {"activity_id": w["activity"].pk}


ORG = "organisation={org}"
SCHOOL = frozenset({OWNER}) | STAFF  # the STEMpact school (A's owner coordinates it) and staff


def traj_kind(w) -> dict:
    return {"pk": w["trajectory"].pk, "kind": "baseline"}


def cohort_kind(w) -> dict:
    return {"pk": w["cohort"].pk, "kind": "baseline"}


# Every named URL outside NAMESPACES. Public pages first, then per app.
ACCESS: dict[str, Access] = {
    # --- portal, places, language --------------------------------------------------------
    "portal:home": Access(EVERYONE),
    "portal:news_list": Access(EVERYONE),
    "portal:news_detail": Access(EVERYONE, kwargs=lambda w: {"slug": w["news"].slug}),
    "portal:contact": Access(EVERYONE),
    "portal:privacy": Access(EVERYONE),
    "portal:accessibility": Access(EVERYONE),
    "portal:sources": Access(EVERYONE),
    "places:boundaries": Access(EVERYONE, kwargs=lambda w: {"vintage": "2025"}),
    "set_language": Access(EVERYONE, method="POST"),
    "healthz": Access(EVERYONE),  # process up: for the load balancer, reveals nothing
    "readyz": Access(EVERYONE),  # database and cache reachable
    # --- accounts (allauth and our own) ---------------------------------------------------
    "account_login": Access(EVERYONE),
    "account_signup": Access(EVERYONE),
    "account_reset_password": Access(EVERYONE),
    "account_reset_password_done": Access(EVERYONE),
    "account_reset_password_from_key_done": Access(EVERYONE),
    "account_reset_password_from_key": Access(
        EVERYONE, kwargs=lambda w: {"uidb36": "0", "key": "x-y"}
    ),
    "account_confirm_email": Access(EVERYONE, kwargs=lambda w: {"key": "unknown"}),
    "account_email_verification_sent": Access(EVERYONE),
    "account_inactive": Access(EVERYONE),
    "account_logout": Access(EVERYONE),
    # Stages of a login in progress: without one, anonymous visitors go back to the login.
    "account_confirm_login_code": Access(LOGGED_IN),
    "mfa_authenticate": Access(LOGGED_IN),
    "account_reauthenticate": Access(LOGGED_IN),
    "account_email": Access(LOGGED_IN),
    "account_change_password": Access(LOGGED_IN),
    "account_set_password": Access(LOGGED_IN),
    "mfa_index": Access(LOGGED_IN),
    "mfa_reauthenticate": Access(LOGGED_IN),
    "mfa_activate_totp": Access(LOGGED_IN),
    # Only someone with an authenticator app has one to switch off (allauth answers 404).
    "mfa_deactivate_totp": Access(frozenset({REVIEWER, VLAIO, OFFICER, SUPER})),
    "mfa_generate_recovery_codes": Access(LOGGED_IN),
    # Nobody in the world has generated recovery codes yet: allauth answers 404.
    "mfa_view_recovery_codes": Access(NOBODY),
    "mfa_download_recovery_codes": Access(NOBODY),
    "accounts:profile": Access(LOGGED_IN),
    "accounts:data_export": Access(LOGGED_IN),
    "accounts:delete": Access(LOGGED_IN),
    # --- organisations ------------------------------------------------------------------
    "organisations:organisation_list": Access(EVERYONE),
    "organisations:organisation_detail": Access(EVERYONE, kwargs=slug),
    # Only the invited address (nieuw@example.org, none of the roles) may accept.
    "organisations:invitation_accept": Access(
        NOBODY, kwargs=lambda w: {"token": w["invitation"].token}
    ),
    "organisations:organisation_edit": Access(OWNERS, kwargs=slug),
    "organisations:membership_list": Access(OWNERS, kwargs=slug),
    "organisations:invitation_create": Access(OWNERS, method="POST", kwargs=slug),
    "organisations:membership_change_role": Access(
        OWNERS, method="POST", kwargs=lambda w: {**slug(w), "pk": w["membership"].pk}
    ),
    "organisations:membership_remove": Access(
        OWNERS, method="POST", kwargs=lambda w: {**slug(w), "pk": w["membership"].pk}
    ),
    "organisations:invitation_revoke": Access(
        OWNERS, method="POST", kwargs=lambda w: {**slug(w), "pk": w["invitation"].pk}
    ),
    "organisations:partnershipmember_list": Access(
        OWNERS, kwargs=lambda w: {"slug": w["partnership"].slug}
    ),
    "organisations:partnershipmember_remove": Access(
        OWNERS,
        method="POST",
        kwargs=lambda w: {"slug": w["partnership"].slug, "pk": w["partner_member"].pk},
    ),
    # --- agenda -------------------------------------------------------------------------
    "agenda:activity_list": Access(EVERYONE),
    "agenda:search_ical": Access(EVERYONE),
    "agenda:activity_ical": Access(EVERYONE, kwargs=pk("activity")),
    "agenda:activity_detail_short": Access(EVERYONE, kwargs=pk("activity")),
    "agenda:activity_detail": Access(
        EVERYONE, kwargs=lambda w: {"pk": w["activity"].pk, "slug": w["activity"].slug}
    ),
    "agenda:manage_list": Access(OWNERS, query=ORG),
    "agenda:activity_create": Access(OWNERS, query=ORG),
    "agenda:activity_edit": Access(OWNERS, kwargs=pk("activity")),
    "agenda:activity_preview": Access(OWNERS, kwargs=pk("activity")),
    "agenda:activity_publish": Access(OWNERS, method="POST", kwargs=pk("activity")),
    "agenda:activity_unpublish": Access(OWNERS, method="POST", kwargs=pk("activity")),
    "agenda:activity_cancel": Access(OWNERS, method="POST", kwargs=pk("activity")),
    "agenda:activity_archive": Access(OWNERS, method="POST", kwargs=pk("activity")),
    "agenda:activity_duplicate": Access(OWNERS, method="POST", kwargs=pk("activity")),
    "agenda:sessions": Access(OWNERS, kwargs=pk("activity")),
    "agenda:import_start": Access(OWNERS, query=ORG),
    "agenda:import_template": Access(OWNERS, query=ORG),
    "agenda:import_job": Access(frozenset({OWNER, SUPER}), kwargs=pk("job")),
    "agenda:import_confirm": Access(OWNERS, method="POST", kwargs=pk("job")),
    "agenda:api_tokens": Access(OWNERS, query=ORG),
    "agenda:api_token_revoke": Access(OWNERS, method="POST", kwargs=pk("api_token")),
    # --- events ------------------------------------------------------------------------
    "events:event_list": Access(EVERYONE),
    "events:events_ical": Access(EVERYONE),
    "events:event_detail": Access(EVERYONE, kwargs=lambda w: {"slug": w["event"].slug}),
    "events:event_ical": Access(EVERYONE, kwargs=lambda w: {"slug": w["event"].slug}),
    "events:registration_mine": Access(LOGGED_IN),
    "events:event_manage_list": Access(LOGGED_IN),
    "events:event_register": Access(
        LOGGED_IN, method="POST", kwargs=lambda w: {"slug": w["event"].slug}
    ),
    # Anyone who coordinates an organisation registers a group of its people.
    "events:event_register_group": Access(COORDINATORS, kwargs=lambda w: {"slug": w["event"].slug}),
    "events:stand_book": Access(
        LOGGED_IN, method="POST", kwargs=lambda w: {"slug": w["event"].slug}
    ),
    # The registered person (USER), the organiser's members (OWNER) and superusers.
    "events:registration_cancel": Access(ATTENDEE, method="POST", kwargs=pk("registration")),
    # Only the person (or who registered them) accepts a place on offer.
    "events:registration_accept": Access(
        frozenset({USER}), method="POST", kwargs=pk("registration")
    ),
    "events:registration_qr": Access(ATTENDEE, kwargs=pk("registration")),
    "events:registration_certificate": Access(ATTENDEE, kwargs=pk("registration")),
    "events:registration_feedback": Access(ATTENDEE, kwargs=pk("registration")),
    "events:event_participants": Access(OWNERS, kwargs=lambda w: {"slug": w["event"].slug}),
    "events:event_export": Access(OWNERS, kwargs=lambda w: {"slug": w["event"].slug}),
    "events:event_checkin": Access(OWNERS, kwargs=lambda w: {"slug": w["event"].slug}),
    "events:need_capture": Access(
        OWNERS, method="POST", kwargs=lambda w: {"slug": w["event"].slug}
    ),
    "events:event_checkin_sync": Access(
        OWNERS, method="POST", kwargs=lambda w: {"slug": w["event"].slug}
    ),
    # --- lending (owner coordinates org A, the borrower, and the hub) ----------------------
    "lending:item_list": Access(EVERYONE),
    "lending:item_detail": Access(EVERYONE, kwargs=pk("lending_item")),
    "lending:loan_request": Access(frozenset({OTHER, OWNER}), kwargs=pk("lending_item")),
    "lending:loan_mine": Access(LOGGED_IN),
    "lending:loan_ical": Access(OWNERS, kwargs=slug),
    "lending:loan_detail": Access(OWNERS, kwargs=pk("loan")),
    "lending:loan_cancel": Access(OWNERS, method="POST", kwargs=pk("loan")),
    "lending:loan_link_activity": Access(OWNERS, method="POST", kwargs=pk("loan")),
    "lending:lab_book": Access(LOGGED_IN, method="POST", kwargs=pk("lab_session")),
    "lending:lab_booking_cancel": Access(
        frozenset({OWNER}), method="POST", kwargs=pk("lab_booking")
    ),
    "lending:hub_manage": Access(OWNERS, kwargs=lambda w: {"slug": w["hub"].organisation.slug}),
    "lending:hub_calendar": Access(OWNERS, kwargs=lambda w: {"slug": w["hub"].organisation.slug}),
    "lending:item_create": Access(OWNERS, kwargs=lambda w: {"slug": w["hub"].organisation.slug}),
    "lending:lab_session_create": Access(
        OWNERS, method="POST", kwargs=lambda w: {"slug": w["hub"].organisation.slug}
    ),
    "lending:item_edit": Access(OWNERS, kwargs=pk("lending_item")),
    "lending:loan_approve": Access(OWNERS, method="POST", kwargs=pk("loan")),
    "lending:loan_refuse": Access(OWNERS, method="POST", kwargs=pk("loan")),
    "lending:loan_hand_out": Access(OWNERS, method="POST", kwargs=pk("loan")),
    "lending:loan_take_back": Access(OWNERS, method="POST", kwargs=pk("loan")),
    "lending:unit_repair": Access(OWNERS, method="POST", kwargs=pk("lending_unit")),
    # --- UiTdatabank ----------------------------------------------------------------------
    "uit:sync_list": Access(OWNERS, query=ORG),
    "uit:sync_retry": Access(OWNERS, method="POST", kwargs=pk("activity")),
    # --- reach --------------------------------------------------------------------------
    "reach:public_figures": Access(EVERYONE),
    "reach:dashboard": Access(STAFF),
    "reach:export_xlsx": Access(STAFF),
    "reach:export_csv": Access(STAFF),
    "reach:history_upload": Access(STAFF),
    "reach:coordinator": Access(OWNERS, query=ORG),
    "reach:participation_entry": Access(OWNERS, kwargs=pk("held_activity")),
    "reach:participation_upload": Access(OWNERS, query=ORG),
    "reach:participation_template": Access(OWNERS, kwargs=lambda w: {"fmt": "csv"}, query=ORG),
    "reach:school_reach": Access(frozenset({SUPER}), query="organisation={school}"),
    # --- matching: the company contact point --------------------------------------------
    "matching:intake": Access(EVERYONE),
    "matching:follow": Access(
        EVERYONE, kwargs=lambda w: {"token": w["company_request"].follow_token}
    ),
    "matching:figures": Access(EVERYONE),
    "matching:queue": Access(STAFF),
    "matching:request_detail": Access(STAFF, kwargs=pk("company_request")),
    "matching:request_status": Access(STAFF, method="POST", kwargs=pk("company_request")),
    "matching:request_owner": Access(STAFF, method="POST", kwargs=pk("company_request")),
    "matching:request_note": Access(STAFF, method="POST", kwargs=pk("company_request")),
    "matching:request_suggest": Access(STAFF, method="POST", kwargs=pk("company_request")),
    "matching:request_lock": Access(STAFF, method="POST", kwargs=pk("company_request")),
    "matching:request_introduce": Access(STAFF, method="POST", kwargs=pk("company_request")),
    "matching:request_follow_up": Access(STAFF, method="POST", kwargs=pk("company_request")),
    "matching:introductions": Access(OWNERS, query=ORG),
    "matching:introduction_answer": Access(OWNERS, method="POST", kwargs=pk("introduction")),
    # --- scoring ------------------------------------------------------------------------
    "scoring:assignment_list": Access(LOGGED_IN),
    "scoring:assignment_score": Access(frozenset({REVIEWER}), kwargs=pk("assignment")),
    "scoring:assignment_declare": Access(frozenset({REVIEWER}), kwargs=pk("assignment")),
    "scoring:panel_assign": Access(ROUND, kwargs=pk("panel")),
    "scoring:panel_audit": Access(ROUND, kwargs=pk("panel")),
    "scoring:panel_consensus": Access(ROUND, kwargs=pk("panel")),
    # --- STEMpact: the school (A's owner coordinates a selected school) and staff -------
    "stempact:mine": Access(LOGGED_IN),
    "stempact:apply": Access(LOGGED_IN, kwargs=pk("cohort")),
    "stempact:survey": Access(EVERYONE, kwargs=lambda w: {"token": w["respondent"].token}),
    "stempact:trajectory_detail": Access(SCHOOL, kwargs=pk("trajectory")),
    "stempact:respondent_invite": Access(SCHOOL, method="POST", kwargs=traj_kind),
    "stempact:trajectory_remind": Access(SCHOOL, method="POST", kwargs=traj_kind),
    "stempact:action_create": Access(SCHOOL, method="POST", kwargs=pk("trajectory")),
    "stempact:action_update": Access(
        SCHOOL,
        method="POST",
        kwargs=lambda w: {"pk": w["trajectory"].pk, "action_pk": w["action"].pk},
    ),
    "stempact:comment_add": Access(SCHOOL, method="POST", kwargs=pk("trajectory")),
    "stempact:cohort_list": Access(STAFF),
    "stempact:cohort_detail": Access(STAFF, kwargs=pk("cohort")),
    "stempact:cohort_update": Access(STAFF, method="POST", kwargs=pk("cohort")),
    "stempact:cohort_export": Access(STAFF, kwargs=pk("cohort")),
    "stempact:questionnaire_edit": Access(
        STAFF, kwargs=lambda w: {"pk": w["cohort"].pk, "aspect": "leadership"}
    ),
    "stempact:measurement_open": Access(STAFF, method="POST", kwargs=cohort_kind),
    "stempact:respondents_remind": Access(STAFF, method="POST", kwargs=cohort_kind),
    "stempact:network_create": Access(STAFF, method="POST", kwargs=pk("cohort")),
    "stempact:trajectory_decide": Access(STAFF, method="POST", kwargs=pk("trajectory")),
    "stempact:network_attendance": Access(STAFF, method="POST", kwargs=pk("network")),
    "stempact:pairing": Access(STAFF, kwargs=pk("cohort")),
    "stempact:offer_save": Access(STAFF, method="POST", kwargs=pk("cohort")),
    "stempact:pairing_run": Access(STAFF, method="POST", kwargs=pk("cohort")),
    "stempact:introductions_send": Access(STAFF, method="POST", kwargs=pk("cohort")),
    "stempact:pairing_lock": Access(STAFF, method="POST", kwargs=pk("trajectory")),
    "stempact:award": Access(STAFF, kwargs=pk("cohort")),
    "stempact:nominee_set": Access(STAFF, method="POST", kwargs=pk("trajectory")),
    "stempact:winner_publish": Access(STAFF, method="POST", kwargs=pk("trajectory")),
    "stempact:award_enter": Access(frozenset({OWNER}), method="POST", kwargs=pk("trajectory")),
    # The school and staff (and a juror of its entry who declared no conflict).
    "stempact:award_dossier": Access(SCHOOL, kwargs=pk("trajectory")),
    "stempact:winners": Access(EVERYONE),
    # --- funding: applicants ----------------------------------------------------------
    "funding:round_list": Access(EVERYONE),
    "funding:results": Access(EVERYONE),
    "funding:round_detail": Access(EVERYONE, kwargs=pk("round")),
    "funding:application_start": Access(
        frozenset({OWNER}),
        method="POST",
        kwargs=pk("round"),
        data=lambda w: {"organisation": w["org_a"].pk},
    ),
    "funding:application_mine": Access(LOGGED_IN),
    "funding:application_detail": Access(READERS, kwargs=pk("reviewed")),
    "funding:application_edit": Access(OWNERS, kwargs=pk("draft")),
    "funding:partner_add": Access(OWNERS, method="POST", kwargs=pk("draft")),
    "funding:budget_line_add": Access(OWNERS, method="POST", kwargs=pk("draft")),
    "funding:attachment_add": Access(OWNERS, method="POST", kwargs=pk("draft")),
    "funding:application_submit": Access(OWNERS, method="POST", kwargs=pk("draft")),
    "funding:application_withdraw": Access(OWNERS, method="POST", kwargs=pk("draft")),
    "funding:receipt": Access(frozenset({OWNER, OFFICER, SUPER}), kwargs=pk("reviewed")),
    "funding:decision_letter": Access(frozenset({OWNER, OFFICER, SUPER}), kwargs=pk("decided")),
    "funding:application_review": Access(READERS, kwargs=pk("reviewed")),
    "funding:attachment_download": Access(
        frozenset({OWNER, OFFICER, SUPER}), kwargs=pk("attachment")
    ),
    "funding:partner_remove": Access(OWNERS, method="POST", kwargs=pk("partner")),
    "funding:budget_line_remove": Access(OWNERS, method="POST", kwargs=pk("budget_line")),
    "funding:attachment_remove": Access(OWNERS, method="POST", kwargs=pk("attachment")),
    "funding:info_request_answer": Access(OWNERS, method="POST", kwargs=pk("info_request")),
    "funding:report_edit": Access(frozenset({OWNER, OFFICER, SUPER}), kwargs=pk("report")),
    # --- funding: programme officers --------------------------------------------------
    "funding:manage_rounds": Access(STAFF),
    "funding:manage_round": Access(ROUND, kwargs=pk("round")),
    "funding:manage_export": Access(ROUND, kwargs=pk("round")),
    "funding:manage_review_open": Access(ROUND, method="POST", kwargs=pk("round")),
    "funding:manage_application": Access(ROUND, kwargs=pk("decided")),
    "funding:manage_eligibility": Access(ROUND, method="POST", kwargs=pk("submitted")),
    "funding:manage_question": Access(ROUND, method="POST", kwargs=pk("submitted")),
    "funding:manage_assign": Access(ROUND, method="POST", kwargs=pk("reviewed")),
    "funding:manage_decide": Access(ROUND, method="POST", kwargs=pk("reviewed")),
    "funding:manage_tranche": Access(
        ROUND, method="POST", kwargs=lambda w: {"pk": w["tranche"].pk, "action": "release"}
    ),
    "funding:manage_recognition_renew": Access(STAFF, method="POST", kwargs=pk("recognition")),
    "funding:manage_report": Access(
        ROUND, method="POST", kwargs=lambda w: {"pk": w["report"].pk, "action": "approve"}
    ),
    # --- newsletters: subscribers' pages take a signed token (a forged one: refused) ------
    "newsletters:signup": Access(EVERYONE),
    "newsletters:archive_list": Access(EVERYONE),
    "newsletters:archive_detail": Access(EVERYONE, kwargs=pk("sent_issue")),
    "newsletters:confirm": Access(NOBODY, kwargs=lambda w: {"token": "vervalst"}),
    "newsletters:preferences": Access(NOBODY, kwargs=lambda w: {"token": "vervalst"}),
    "newsletters:unsubscribe": Access(NOBODY, kwargs=lambda w: {"token": "vervalst"}),
    "newsletters:resubscribe": Access(NOBODY, kwargs=lambda w: {"token": "vervalst"}),
    # Editors: STEM-gangmakers (none among the roles), VLAIO staff and superusers.
    "newsletters:issue_list": Access(STAFF),
    "newsletters:issue_create": Access(STAFF),
    "newsletters:subscriber_sync": Access(STAFF, method="POST"),
    "newsletters:issue_detail": Access(STAFF, kwargs=pk("draft_issue")),
    "newsletters:issue_edit": Access(STAFF, kwargs=pk("draft_issue")),
    "newsletters:issue_preview": Access(STAFF, kwargs=pk("draft_issue")),
    "newsletters:issue_progress": Access(STAFF, kwargs=pk("draft_issue")),
    "newsletters:block_add": Access(STAFF, method="POST", kwargs=pk("draft_issue")),
    "newsletters:block_action": Access(
        STAFF, method="POST", kwargs=lambda w: {"pk": w["block"].pk, "action": "up"}
    ),
    "newsletters:issue_test_send": Access(STAFF, method="POST", kwargs=pk("draft_issue")),
    "newsletters:issue_send": Access(
        STAFF, method="POST", kwargs=lambda w: {"pk": w["draft_issue"].pk, "action": "pause"}
    ),
    # --- Django's admin: everything but its logout falls under NAMESPACES ---------------
    "admin:logout": Access(EVERYONE, method="POST"),
    # --- JSON API (sessions; the token operations are tested in agenda and reach) ----------
    "api:api-root": Access(NOBODY),  # no page: 404 for everyone
    "api:openapi-json": Access(EVERYONE),
    "api:openapi-view": Access(EVERYONE),
    "api:organisation_list": Access(EVERYONE),
    "api:organisation_detail": Access(EVERYONE, kwargs=slug),
    "api:postcode_detail": Access(EVERYONE, kwargs=lambda w: {"code": "2800"}),
    "api:municipality_list": Access(EVERYONE),
    "api:activity_list": Access(EVERYONE),
    "api:contact_point_requests": Access(NOBODY),  # a VLAIO token (matching tests)
    "api:contact_point_figures": Access(EVERYONE),
    "api:activity_detail": Access(EVERYONE, kwargs=activity),
    "api:organisation_activities": Access(NOBODY, kwargs=slug),
    "api:organisation_activity_create": Access(NOBODY, method="POST", kwargs=slug),
    "api:manage_activity": Access(NOBODY, kwargs=activity),
    "api:manage_activity_update": Access(NOBODY, method="PUT", kwargs=activity),
    "api:manage_activity_publish": Access(NOBODY, method="POST", kwargs=activity),
    "api:manage_activity_cancel": Access(NOBODY, method="POST", kwargs=activity),
    "api:manage_activity_archive": Access(NOBODY, method="POST", kwargs=activity),
    "api:summary": Access(EVERYONE),
    "api:participation_read": Access(NOBODY, kwargs=activity),
    "api:participation_write": Access(NOBODY, method="PUT", kwargs=activity),
    "api:participation_remove": Access(NOBODY, method="DELETE", kwargs=activity),
    "api:rounds": Access(EVERYONE),
    "api:event_list": Access(EVERYONE),
    "api:event_detail": Access(EVERYONE, kwargs=lambda w: {"slug": w["event"].slug}),
}

# participation: the world's consultation takes logged-in users; the owner has joined it and
# posted its idea; VLAIO staff moderate (stemnet/participation/tests/authz.py).
from stemnet.participation.tests.authz import ACCESS as _PARTICIPATION  # noqa: E402

ACCESS.update({f"participation:{name}": a for name, a in _PARTICIPATION.items()})

# Whole namespaces with one rule (a name also in ACCESS follows ACCESS): Django's admin (every
# ModelAdmin's URLs) is for superusers, who reach it through the site's login with two-factor
# authentication.
NAMESPACES: dict[str, frozenset] = {"admin": frozenset({SUPER})}
