"""Claims, editing by group representatives, version history and the moderation queue."""

from __future__ import annotations

from itertools import zip_longest
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from commonweal.accounts.constants import Role
from commonweal.accounts.decorators import forbidden, role_required, sensitive_view
from commonweal.accounts.models import User
from commonweal.accounts.permissions import can_act_in_role
from commonweal.core.permissions import Decision
from commonweal.directory.models import Service
from commonweal.directory.moderation import (
    MODERATOR_ROLES,
    can_edit_listing,
    can_moderate,
    can_view_history,
    listing_document,
    schedule_words,
)
from commonweal.directory.moderation_forms import (
    ClaimForm,
    ContactFormSet,
    CostFormSet,
    DecisionForm,
    ListingForm,
    PhoneFormSet,
    PlaceForm,
    ScheduleFormSet,
    contact_initial,
    cost_initial,
    document_from_forms,
    listing_initial,
    phone_initial,
    place_initial,
    schedule_initial,
)
from commonweal.directory.moderation_selectors import (
    claim_get,
    claim_pending_for,
    edit_get,
    edit_review,
    edits_of_service,
    moderation_queue,
    rep_claims,
    rep_services,
    service_for_manage,
    version_history,
)
from commonweal.directory.moderation_services import (
    claim_approve,
    claim_create,
    claim_reject,
    edit_approve,
    edit_propose,
    edit_reject,
    listing_confirm,
)
from commonweal.directory.permissions import can_review_claim, can_review_edit


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # the views below need sign-in
    return user


def _refused(
    request: HttpRequest, decision: Decision, service: Service | None = None
) -> HttpResponse:
    return render(
        request,
        "directory/moderation/forbidden.html",
        {"reason": decision.reason, "service": service},
        status=403,
    )


def _error_items(*forms_: forms.Form) -> list[tuple[str, str]]:
    """Every error of several forms, each linking to its field, for one error summary."""
    items: list[tuple[str, str]] = []
    for form in forms_:
        for error in form.non_field_errors():
            items.append(("#main-content", str(error)))
        for field in form:
            for error in field.errors:
                widget_id = field.auto_id
                if isinstance(field.field.widget, forms.CheckboxSelectMultiple):
                    widget_id = f"{widget_id}_0"
                items.append((f"#{widget_id}", str(error)))
    return items


# --- Group representatives ---------------------------------------------------------------------------


@sensitive_view
def manage(request: HttpRequest) -> HttpResponse:
    """'Your listings': what a group representative looks after, and the claims they have made."""
    return render(
        request,
        "directory/manage.html",
        {
            "services": list(rep_services(user=request.user)),
            "claims": list(rep_claims(user=request.user)[:20]),
            "is_moderator": bool(can_moderate(request.user)),
            "is_officer": bool(can_act_in_role(request.user, (Role.COORDINATOR, Role.ADMIN))),
        },
    )


@login_required
def service_claim(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """'Is this your group?': ask to look after a listing's organisation."""
    service = (
        Service.objects.published()
        .select_related("organization__account_organisation")
        .filter(public_id=public_id)
        .first()
    )
    if service is None:
        raise Http404("No such listing")
    if can_edit_listing(request.user, service):
        messages.info(request, f"You already look after the listings of {service.organization}.")
        return redirect("directory:manage")
    pending = claim_pending_for(user=request.user, service=service)
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and pending is None and form.is_valid():
        try:
            claim_create(actor=_user(request), service=service, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                f"Thank you. A moderator will check your claim of {service.organization} "
                "and email you.",
            )
            return redirect("directory:manage")
    return render(
        request,
        "directory/moderation/claim.html",
        {"service": service, "form": form, "pending": pending, "errors": _error_items(form)},
    )


def _list_formset(formset_class: Any, data: Any, prefix: str, initial: list[dict[str, Any]]) -> Any:
    """A list's formset; None when a POST leaves it out (a page from before it existed): unchanged."""
    if data is not None and f"{prefix}-TOTAL_FORMS" not in data:
        return None
    return formset_class(data, prefix=prefix, initial=initial)


def _formset_errors(formset: Any) -> list[tuple[str, str]]:
    if formset is None or not formset.is_bound:
        return []
    return [item for form in formset for item in _error_items(form)] + [
        ("#main-content", str(error)) for error in formset.non_form_errors()
    ]


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


@sensitive_view
def service_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Propose changes to a listing; a moderator approves them before the public sees them."""
    service = service_for_manage(public_id=public_id)
    if service is None:
        raise Http404("No such listing")
    decision = can_edit_listing(request.user, service)
    if not decision:
        return _refused(request, decision, service)
    current = listing_document(service)
    place_items = sorted((current.get("places") or {}).items(), key=lambda item: item[1]["name"])
    data = request.POST if request.method == "POST" else None
    listing = ListingForm(data, initial=listing_initial(current))
    schedules = ScheduleFormSet(data, prefix="schedules", initial=schedule_initial(current))
    places = {
        place_id: PlaceForm(data, prefix=f"place-{index}", initial=place_initial(place))
        for index, (place_id, place) in enumerate(place_items)
    }
    phones = _list_formset(PhoneFormSet, data, "phones", phone_initial(current))
    contacts = _list_formset(ContactFormSet, data, "contacts", contact_initial(current))
    costs = _list_formset(CostFormSet, data, "costs", cost_initial(current))
    lists = [formset for formset in (phones, contacts, costs) if formset is not None]
    if data is not None:
        valid = [listing.is_valid(), schedules.is_valid()]
        valid += [form.is_valid() for form in places.values()]
        valid += [formset.is_valid() for formset in lists]
        if all(valid):
            document = document_from_forms(
                current=current,
                listing=listing,
                schedules=schedules,
                places=places,
                phones=phones,
                contacts=contacts,
                costs=costs,
            )
            try:
                edit_propose(actor=_user(request), service=service, proposed=document)
            except ValidationError as error:
                _add_errors(listing, error)
            else:
                messages.success(
                    request,
                    f"Thank you. Your changes to {service.name} are waiting for a moderator; "
                    "the listing will change when they approve them.",
                )
                return redirect("directory:manage")
    schedule_errors = _formset_errors(schedules)
    list_errors = [item for formset in lists for item in _formset_errors(formset)]
    return render(
        request,
        "directory/moderation/edit.html",
        {
            "service": service,
            "listing": listing,
            "schedules": schedules,
            "schedule_forms": list(
                zip_longest(
                    schedules.forms,
                    [schedule_words(item) for item in current.get("schedules") or []],
                )
            ),
            "places": [(place["name"], places[place_id]) for place_id, place in place_items],
            "phones": phones,
            "contacts": contacts,
            "costs": costs,
            "errors": _error_items(listing, *places.values()) + schedule_errors + list_errors,
            "pending_edits": [e for e in edits_of_service(service=service) if e.is_pending],
        },
    )


@require_POST
@sensitive_view
def service_confirm(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """'Nothing has changed': the listing is confirmed as correct today."""
    service = service_for_manage(public_id=public_id)
    if service is None:
        raise Http404("No such listing")
    decision = can_edit_listing(request.user, service)
    if not decision:
        return _refused(request, decision, service)
    listing_confirm(actor=_user(request), service=service)
    messages.success(request, f"Thank you for confirming that {service.name} is still correct.")
    return redirect("directory:manage")


@sensitive_view
def service_history(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Who changed the listing, what and when: each version against the one before."""
    service = service_for_manage(public_id=public_id)
    if service is None:
        raise Http404("No such listing")
    decision = can_view_history(request.user, service)
    if not decision:
        return _refused(request, decision, service)
    return render(
        request,
        "directory/moderation/history.html",
        {
            "service": service,
            "entries": version_history(service=service),
            "edits": list(edits_of_service(service=service)[:50]),
        },
    )


# --- Moderators ---------------------------------------------------------------------------------------


@sensitive_view
@role_required(*MODERATOR_ROLES)
def queue(request: HttpRequest) -> HttpResponse:
    """Pending claims and edits, oldest first, in the champion's patch unless they ask for all."""
    show_all = request.GET.get("show") == "all"
    result = moderation_queue(user=request.user, show_all=show_all)
    return render(request, "directory/moderation/queue.html", {"queue": result})


def _decide(
    request: HttpRequest, form: DecisionForm, approve: Any, reject: Any, record: Any
) -> HttpResponse | None:
    if not form.is_valid():
        return None
    if form.cleaned_data["decision"] == "approve":
        try:
            decided = approve(actor=request.user, **{record[0]: record[1]})
        except ValidationError as error:
            _add_errors(form, error)
            return None
    else:
        decided = reject(
            actor=request.user, reason=form.cleaned_data["reason"], **{record[0]: record[1]}
        )
    if decided.decided_by_id != request.user.pk:
        messages.info(request, "Someone else decided this while you were looking at it.")
    else:
        messages.success(request, f"{decided.get_status_display()}. We have emailed the person.")
    return redirect("directory:moderation_queue")


@sensitive_view
@role_required(*MODERATOR_ROLES)
def claim_review(request: HttpRequest, public_id: UUID) -> HttpResponse:
    claim = claim_get(public_id=public_id)
    if claim is None:
        raise Http404("No such claim")
    decision = can_review_claim(request.user, claim)
    if not decision:
        return forbidden(request, decision)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and claim.is_pending:
        response = _decide(request, form, claim_approve, claim_reject, ("claim", claim))
        if response is not None:
            return response
    return render(
        request,
        "directory/moderation/claim_review.html",
        {"claim": claim, "form": form, "errors": _error_items(form)},
    )


@sensitive_view
@role_required(*MODERATOR_ROLES)
def edit_review_page(request: HttpRequest, public_id: UUID) -> HttpResponse:
    edit = edit_get(public_id=public_id)
    if edit is None:
        raise Http404("No such change")
    decision = can_review_edit(request.user, edit)
    if not decision:
        return forbidden(request, decision)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and edit.is_pending:
        response = _decide(request, form, edit_approve, edit_reject, ("edit", edit))
        if response is not None:
            return response
    return render(
        request,
        "directory/moderation/edit_review.html",
        {
            "edit": edit,
            "review": edit_review(edit=edit),
            "form": form,
            "errors": _error_items(form),
        },
    )
