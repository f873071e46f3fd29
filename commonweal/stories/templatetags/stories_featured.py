"""``{% featured_stories %}``: a few published stories for other apps' pages (directory, grants).

{% load stories_featured %}
{% featured_stories limit=3 outcome="belonging-and-community" ward=ward.code heading="Stories from here" %}
"""

from __future__ import annotations

from typing import Any

from django import template

from commonweal.stories.selectors import story_featured_list

register = template.Library()


@register.inclusion_tag("stories/includes/_featured.html")
def featured_stories(
    limit: int = 3, outcome: str = "", ward: str = "", heading: str = ""
) -> dict[str, Any]:
    limit = max(1, min(int(limit), 12))
    return {
        "stories": story_featured_list(limit=limit, outcome=outcome, ward=ward),
        "heading": heading,
    }
