"""Template helpers for the layout: ``{% load commonweal %}``.

These read settings directly, never the request, so pages rendered without context processors
(500.html) can still name the site.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.contrib.messages import constants as message_constants
from django.contrib.messages.storage.base import Message

register = template.Library()


@register.simple_tag
def site_setting_name() -> str:
    """The site's name from settings (``COMMONWEAL_SITE_NAME``)."""
    return str(settings.COMMONWEAL_SITE_NAME)


@register.simple_tag
def site_setting_operator() -> str:
    """The organisation that runs the site (``COMMONWEAL_OPERATOR``)."""
    return str(settings.COMMONWEAL_OPERATOR)


@register.simple_tag
def site_setting_contact_email() -> str:
    return str(settings.COMMONWEAL_CONTACT_EMAIL)


@register.filter
def message_is_success(message: Message) -> bool:
    """Success messages are shown as green "Success" banners; every other level as "Important"."""
    return bool(message.level == message_constants.SUCCESS)


@register.filter
def message_is_error(message: Message) -> bool:
    return bool(message.level == message_constants.ERROR)
