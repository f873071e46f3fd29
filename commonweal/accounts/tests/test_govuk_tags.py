"""The GOV.UK error summary links each message to an element that is on the page."""

from __future__ import annotations

import re

from django import forms

from commonweal.accounts.templatetags.accounts_govuk import govuk_error_summary


class _Form(forms.Form):
    name = forms.CharField()
    days = forms.MultipleChoiceField(
        choices=[("mon", "Monday"), ("tue", "Tuesday")], widget=forms.CheckboxSelectMultiple
    )
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)


def test_each_summary_link_jumps_to_an_element_the_form_renders() -> None:
    form = _Form(data={})
    assert not form.is_valid()
    hrefs = [href for href, _ in govuk_error_summary(form)["items"]]
    rendered_ids = set(re.findall(r'id="([^"]+)"', form.as_div()))

    assert hrefs == ["#id_name", "#id_days_0", "#id_kind_0"]
    assert {href[1:] for href in hrefs} <= rendered_ids
