"""GOV.UK Frontend form fields for the accounts pages: label, hint, error message and input, linked up."""

from __future__ import annotations

from typing import Any

from django import forms, template

register = template.Library()


@register.inclusion_tag("accounts/includes/_field.html")
def govuk_field(
    field: forms.BoundField, classes: str = "", label_is_heading: bool = False
) -> dict[str, Any]:
    """Render one form field the GOV.UK way; ``classes`` adds width classes to the input."""
    is_textarea = isinstance(field.field.widget, forms.Textarea)
    base = "govuk-textarea" if is_textarea else "govuk-input"
    css = [base]
    if field.errors:
        css.append(f"{base}--error")
    if classes:
        css.append(classes)
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
    attrs: dict[str, Any] = {"class": " ".join(css)}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return {
        "field": field,
        "widget": field.as_widget(attrs=attrs),
        "label_is_heading": label_is_heading,
    }


def _anchor(field: forms.BoundField) -> str:
    """The id a summary link should jump to: the first box or button of a list of choices."""
    if isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        options = field.subwidgets
        if options:
            return f"#{options[0].id_for_label}"
    return f"#{field.auto_id}"


@register.inclusion_tag("accounts/includes/_error_summary.html")
def govuk_error_summary(form: forms.Form) -> dict[str, Any]:
    """The error summary at the top of a page, each message linking to its field."""
    first_field = next(iter(form), None)
    items: list[tuple[str, str]] = []
    for error in form.non_field_errors():
        items.append(
            (_anchor(first_field) if first_field is not None else "#main-content", str(error))
        )
    for field in form:
        for error in field.errors:
            items.append((_anchor(field), str(error)))
    return {"items": items}
