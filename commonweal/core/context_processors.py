from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    """What every page needs to know about the site it belongs to."""
    return {
        "site_name": settings.COMMONWEAL_SITE_NAME,
        "site_operator": settings.COMMONWEAL_OPERATOR,
        "site_contact_email": settings.COMMONWEAL_CONTACT_EMAIL,
        "example_data": settings.COMMONWEAL_EXAMPLE_DATA,
    }
