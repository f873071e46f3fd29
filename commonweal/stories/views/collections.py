"""Setting up collections and their triads and dyads: for moderators and coordinators."""

from __future__ import annotations

from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from commonweal.accounts.decorators import role_required
from commonweal.stories import selectors, services
from commonweal.stories.forms import CollectionForm, SignifierForm
from commonweal.stories.models import Collection, Signifier
from commonweal.stories.permissions import COLLECTION_ROLES


def _add_errors(form: forms.Form, exc: ValidationError) -> None:
    """The services' checks, shown on the form's fields where they have one."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _collection_or_404(public_id: UUID) -> Collection:
    collection = selectors.collection_staff_get(public_id=public_id)
    if collection is None:
        raise Http404("No such collection")
    return collection


@require_GET
@role_required(*COLLECTION_ROLES)
def collection_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "stories/collections/list.html",
        {"collections": selectors.collection_staff_list()},
    )


@require_http_methods(["GET", "POST"])
@role_required(*COLLECTION_ROLES)
def collection_create(request: HttpRequest) -> HttpResponse:
    form = CollectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            collection = services.collection_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request, "The collection is set up. Now add its triads and dyads, if it has any."
            )
            return redirect("stories:collection", public_id=collection.public_id)
    return render(
        request,
        "stories/collections/form.html",
        {"form": form, "collection": None},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@role_required(*COLLECTION_ROLES)
def collection_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    collection = _collection_or_404(public_id)
    if request.method == "POST":
        form = CollectionForm(request.POST)
        if form.is_valid():
            try:
                services.collection_update(
                    actor=request.user, collection=collection, **form.cleaned_data
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, "The collection is saved.")
                return redirect("stories:collection", public_id=collection.public_id)
    else:
        form = CollectionForm(
            initial={
                name: getattr(collection, name)
                for name in (
                    "title",
                    "question",
                    "place",
                    "starts_on",
                    "ends_on",
                    "description",
                    "is_open",
                )
            }
        )
    return render(
        request,
        "stories/collections/form.html",
        {
            "form": form,
            "collection": collection,
            "signifiers": selectors.signifier_list_for_staff(collection=collection),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@role_required(*COLLECTION_ROLES)
def signifier_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    collection = _collection_or_404(public_id)
    form = SignifierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.signifier_add(
                actor=request.user,
                collection=collection,
                kind=form.cleaned_data["kind"],
                prompt=form.cleaned_data["prompt"],
                poles=form.poles(),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Added: “{form.cleaned_data['prompt']}”.")
            return redirect("stories:collection", public_id=collection.public_id)
    return render(
        request,
        "stories/collections/signifier.html",
        {"form": form, "collection": collection, "signifier": None},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@role_required(*COLLECTION_ROLES)
def signifier_edit(request: HttpRequest, public_id: UUID, signifier_id: UUID) -> HttpResponse:
    collection = _collection_or_404(public_id)
    signifier = selectors.signifier_staff_get(collection=collection, public_id=signifier_id)
    if signifier is None:
        raise Http404("No such triad or dyad")
    if request.method == "POST":
        form = SignifierForm(request.POST, kind=signifier.kind)
        if request.POST.get("action") == "remove":
            try:
                services.signifier_remove(actor=request.user, signifier=signifier)
            except services.SignifierError as exc:
                form = SignifierForm(_initial(signifier), kind=signifier.kind)
                form.is_valid()  # the form as saved, with the refusal above it
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Removed: “{signifier.prompt}”.")
                return redirect("stories:collection", public_id=collection.public_id)
        elif form.is_valid():
            try:
                services.signifier_update(
                    actor=request.user,
                    signifier=signifier,
                    prompt=form.cleaned_data["prompt"],
                    poles=form.poles(),
                )
            except services.SignifierError as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, "Saved.")
                return redirect("stories:collection", public_id=collection.public_id)
    else:
        form = SignifierForm(initial=_initial(signifier), kind=signifier.kind)
    return render(
        request,
        "stories/collections/signifier.html",
        {"form": form, "collection": collection, "signifier": signifier},
        status=400 if form.errors else 200,
    )


def _initial(signifier: Signifier) -> dict[str, str]:
    return {
        name: str(getattr(signifier, name)) for name in ("prompt", "pole_a", "pole_b", "pole_c")
    }
