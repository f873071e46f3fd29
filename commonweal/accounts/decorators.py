"""View decorators other apps use: ``role_required`` and ``sensitive_view``.

from commonweal.accounts.decorators import role_required, sensitive_view

@require_GET
@sensitive_view
@role_required(Role.COORDINATOR, Role.ADMIN)
def referral_detail(request, public_id): ...
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from commonweal.accounts.permissions import can_act_in_role
from commonweal.core.permissions import Decision

View = TypeVar("View", bound=Callable[..., HttpResponse])


def forbidden(request: HttpRequest, decision: Decision) -> HttpResponse:
    """A 403 page that says, in plain words, why the answer is no."""
    reason = decision.reason or "You do not have permission to see this page."
    return render(request, "accounts/forbidden.html", {"reason": reason}, status=403)


def role_required(*roles: str) -> Callable[[View], View]:
    """Only people holding one of ``roles`` (in any organisation) reach the view.

    Anonymous people are sent to sign in; signed-in people without the role get a 403 page with the reason.
    The view is marked with ``required_roles`` so tests can find it.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            decision = can_act_in_role(request.user, roles)
            if not decision:
                return forbidden(request, decision)
            return view(request, *args, **kwargs)

        guarded: Any = login_required(wrapper)
        guarded.required_roles = tuple(str(role) for role in roles)
        guarded.sensitive = getattr(view, "sensitive", False)
        return guarded  # type: ignore[no-any-return]

    return decorator


def sensitive_view(view: View) -> View:
    """For pages that show sensitive records: sign-in required, never cached, and marked ``sensitive``.

    The URL crawl test looks for ``view.sensitive`` and checks that anonymous visitors are turned away.
    """
    guarded: Any = login_required(never_cache(view))
    guarded.sensitive = True
    if hasattr(view, "required_roles"):
        guarded.required_roles = view.required_roles
    return guarded  # type: ignore[no-any-return]
