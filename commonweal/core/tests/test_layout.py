"""The page frame every page shares: banner, navigation, messages, cookies, titles and error pages."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants as message_constants
from django.contrib.messages.storage.base import Message
from django.core.exceptions import PermissionDenied
from django.template import loader
from django.test import RequestFactory

from commonweal.accounts.models import User
from commonweal.core.navigation import NavItem, nav_item_register, nav_item_unregister
from commonweal.core.views.pages import error_403

pytestmark = pytest.mark.django_db

BANNER_TEXT = "This is a demo borough: the people, groups and events are invented."


@pytest.fixture
def member():
    return User.objects.create_user(email="resident@example.org", password="a long enough password")


def nav_html(response) -> str:
    html = response.content.decode()
    match = re.search(
        r'<ul class="govuk-service-navigation__list" id="cw-navigation">(.*?)</ul>', html, re.S
    )
    assert match, "the primary navigation is missing"
    return match.group(1)


def test_example_data_banner_shows_when_the_site_serves_example_data(client, settings):
    settings.COMMONWEAL_EXAMPLE_DATA = True
    html = client.get("/").content.decode()
    assert "govuk-phase-banner" in html
    assert "Example data" in html
    assert BANNER_TEXT in html


def test_no_example_data_banner_on_a_live_site(client, settings):
    settings.COMMONWEAL_EXAMPLE_DATA = False
    html = client.get("/").content.decode()
    assert "govuk-phase-banner" not in html
    assert BANNER_TEXT not in html


def test_anonymous_visitor_sees_sign_in_and_no_sign_out(client):
    nav = nav_html(client.get("/"))
    assert 'href="/accounts/sign-in/"' in nav
    assert ">Sign in<" in nav
    assert "Sign out" not in nav
    assert "Your account" not in nav


def test_signed_in_person_sees_their_account_and_a_sign_out_form_that_posts(client, member):
    client.force_login(member)
    nav = nav_html(client.get("/"))
    assert ">Sign in<" not in nav
    assert 'href="/accounts/"' in nav and "Your account" in nav
    form = re.search(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', nav, re.S)
    assert form, "sign out must be a form (a POST), not a link"
    assert form.group(1) == "/accounts/sign-out/"
    assert 'name="csrfmiddlewaretoken"' in form.group(2)
    assert '<button type="submit"' in form.group(2) and "Sign out" in form.group(2)


def test_sign_out_button_signs_the_person_out(client, member):
    client.force_login(member)
    response = client.post("/accounts/sign-out/")
    assert response.status_code == 302
    assert ">Sign in<" in nav_html(client.get("/"))


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("/", "Home"),
        ("/outcomes/", "Outcomes"),
        ("/data", "Data sources"),
        ("/accounts/sign-in/", "Sign in"),
    ],
)
def test_current_page_is_marked_in_the_navigation(client, path, label):
    nav = nav_html(client.get(path))
    current = re.findall(r'<a [^>]*aria-current="page"[^>]*>(.*?)</a>', nav, re.S)
    assert [re.sub(r"<[^>]+>", "", item).strip() for item in current] == [label]


def test_home_is_current_only_on_the_home_page(client):
    nav = nav_html(client.get("/cookies"))
    assert 'aria-current="page"' not in nav


def test_an_app_can_add_a_navigation_item_and_a_home_page_card(client):
    item = NavItem(
        label="Cookies (test item)",
        url_name="core:cookies",
        order=10,
        description="A card the home page shows.",
    )
    nav_item_register(item)
    try:
        response = client.get("/")
        nav = nav_html(response)
        assert nav.index("Home") < nav.index("Cookies (test item)") < nav.index("Outcomes")
        assert "A card the home page shows." in response.content.decode()
    finally:
        nav_item_unregister(item.url_name)
    assert "Cookies (test item)" not in nav_html(client.get("/"))


def test_items_whose_app_is_missing_or_hidden_are_left_out(client):
    missing = NavItem(label="Nowhere", url_name="nowhere:index")
    hidden = NavItem(label="Staff only", url_name="core:privacy", visible=lambda request: False)
    nav_item_register(missing)
    nav_item_register(hidden)
    try:
        nav = nav_html(client.get("/"))
        assert "Nowhere" not in nav
        assert "Staff only" not in nav
    finally:
        nav_item_unregister(missing.url_name)
        nav_item_unregister(hidden.url_name)


def test_anonymous_visitor_gets_no_cookie_but_the_csrf_token(client):
    response = client.get("/")
    assert response.status_code == 200
    assert set(response.cookies.keys()) <= {"csrftoken"}
    for path in ("/accessibility", "/privacy", "/cookies", "/outcomes/", "/data"):
        assert set(client.get(path).cookies.keys()) <= {"csrftoken"}, path


def test_page_title_names_the_page_then_the_site(client, settings):
    settings.COMMONWEAL_SITE_NAME = "Thurrock Together"
    html = client.get("/privacy").content.decode()
    assert "<title>Privacy notice – Thurrock Together</title>" in html


def test_every_page_has_language_skip_link_main_and_footer_links(client):
    html = client.get("/").content.decode()
    assert '<html lang="en-GB" class="govuk-template">' in html
    assert '<a href="#main-content" class="govuk-skip-link"' in html
    assert 'id="main-content"' in html
    for href in ("/accessibility", "/privacy", "/cookies", "/data"):
        assert f'href="{href}"' in html


def test_csrf_token_reaches_htmx_through_body_attributes(client):
    response = client.get("/")
    html = response.content.decode()
    body = re.search(r"<body ([^>]*)>", html).group(1)
    token = re.search(r'data-csrf-token="([^"]+)"', body).group(1)
    assert f'hx-headers=\'{{"X-CSRFToken": "{token}"}}\'' in body


def test_pages_have_no_inline_scripts_or_styles(client, member):
    """The Content Security Policy allows only our own files: inline code would be blocked."""
    client.force_login(member)
    for path in ("/", "/accessibility", "/privacy", "/cookies", "/no-such-page"):
        html = client.get(path).content.decode()
        for script in re.findall(r"<script\b([^>]*)>", html):
            assert "src=" in script, f"inline script on {path}"
        assert not re.search(r"<style\b", html), f"inline <style> on {path}"
        assert not re.search(r"\sstyle=", html), f"style attribute on {path}"
        assert not re.search(r"\son[a-z]+=", html), f"inline event handler on {path}"


def test_messages_are_shown_as_notification_banners():
    template = loader.get_template("includes/_messages.html")
    html = template.render(
        {
            "messages": [
                Message(message_constants.SUCCESS, "Your listing was saved"),
                Message(message_constants.INFO, "Your group is waiting for approval"),
                Message(message_constants.ERROR, "We could not send the email"),
            ]
        }
    )
    banners = re.findall(r'<div class="govuk-notification-banner([^"]*)" (role="[a-z]+")', html)
    assert banners == [
        (" govuk-notification-banner--success", 'role="alert"'),
        ("", 'role="region"'),
        ("", 'role="alert"'),
    ]
    assert "Your listing was saved" in html and "Success" in html
    assert "Important" in html and "There is a problem" in html
    ids = re.findall(r'id="(cw-message-title-\d+)"', html)
    assert len(set(ids)) == 3


def test_unknown_page_answers_a_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<title>Page not found – " in html
    assert "If you typed the web address, check it is correct." in html


def test_403_page_explains_the_reason_when_there_is_one():
    request = RequestFactory().get("/somewhere")
    request.user = AnonymousUser()
    response = error_403(request, PermissionDenied("Only coordinators can see referrals."))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Only coordinators can see referrals." in html
    assert "You cannot see this page" in html


def test_403_page_without_a_reason_says_so_plainly():
    request = RequestFactory().get("/somewhere")
    request.user = AnonymousUser()
    html = error_403(request, PermissionDenied()).content.decode()
    assert "Your account does not have permission to see this page." in html


def test_500_page_renders_without_request_or_context_processors(settings):
    settings.COMMONWEAL_SITE_NAME = "Thurrock Together"
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {**settings.TEMPLATES[0]["OPTIONS"], "context_processors": []},
        }
    ]
    html = loader.get_template("500.html").render({})
    assert "<title>Sorry, there is a problem with the service – Thurrock Together</title>" in html
    assert 'lang="en-GB"' in html
    assert 'href="#main-content"' in html
    assert re.search(r'<link rel="stylesheet" href="/static/commonweal/commonweal\.css">', html)


def test_500_handler_answers_500():
    from commonweal.core.views.pages import error_500

    response = error_500(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
