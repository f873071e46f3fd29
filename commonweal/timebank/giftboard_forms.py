"""Forms of the gift board: browsing filters, posting an offer or need, and asking about a post."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile

from commonweal.timebank.constants import GiftType, PostKind, Weekday
from commonweal.timebank.models import Category, GiftPost

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}

BOARD_KINDS = [("offer", "Offers"), ("need", "Needs"), ("goods", "Goods")]


class BoardFilterForm(forms.Form):
    kind = forms.ChoiceField(choices=BOARD_KINDS, required=False)
    ward = forms.ChoiceField(label="Ward", required=False)
    category = forms.ChoiceField(label="Kind of help or item", required=False)

    def __init__(
        self,
        *args: Any,
        wards: list[tuple[str, str]],
        categories: list[Category],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["ward"]).choices = [("", "Any ward"), *wards]
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            ("", "Any kind"),
            *_category_choices(categories),
        ]


def _category_choices(categories: list[Category]) -> list[tuple[str, str]]:
    choices = []
    for category in categories:
        label = f"{category.parent.name}: {category.name}" if category.parent else category.name
        choices.append((str(category.pk), label))
    return sorted(choices, key=lambda choice: choice[1])


class PostForm(forms.Form):
    """A short, friendly form. Goods posts have no gift type."""

    title = forms.CharField(
        label="In a few words, what is it?",
        max_length=120,
        help_text="For example: Help with a CV, Lifts to the doctor's, A single bed frame.",
    )
    description = forms.CharField(
        label="Tell people a bit more (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Do not put your address, phone number or email here: we share those only when you agree.",
    )
    category = forms.ChoiceField(label="What kind of help or item is it?")
    gift_type = forms.ChoiceField(
        label="What kind of gift is it?",
        choices=GiftType.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    availability = forms.CharField(
        label="When are you around? (optional)",
        max_length=200,
        required=False,
        help_text="For example: weekday evenings, or any Saturday morning.",
    )
    available_days = forms.MultipleChoiceField(
        label="Days (optional)",
        choices=Weekday.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    postcode = forms.CharField(
        label="Postcode (optional)",
        max_length=10,
        required=False,
        help_text="Leave empty to use your own. We show only the ward, never an address.",
    )
    home_visit = forms.BooleanField(
        label="This help happens in someone's home",
        required=False,
        help_text="For example gardening, a repair or a visit for a chat at home.",
    )
    via_hub_only = forms.BooleanField(
        label="I would rather people contact me through hub staff", required=False
    )
    photo = forms.ImageField(
        label="Photo (optional)",
        required=False,
        help_text="A JPEG, PNG, WebP or GIF picture, up to 5 MB.",
    )
    photo_alt = forms.CharField(
        label="Describe the photo (needed with a photo)",
        max_length=200,
        required=False,
        help_text="For people who cannot see it. For example: a pine bed frame, taken apart.",
    )
    remove_photo = forms.BooleanField(label="Remove the photo", required=False)

    def __init__(
        self, *args: Any, goods: bool, post: GiftPost | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.goods = goods
        self.post = post
        categories = list(Category.objects.select_related("parent").filter(is_goods=goods))
        self.categories = {str(category.pk): category for category in categories}
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            ("", "Choose one"),
            *_category_choices(categories),
        ]
        if goods:
            del self.fields["gift_type"]
            del self.fields["home_visit"]
        if post is None or not post.photo:
            del self.fields["remove_photo"]

    def clean_category(self) -> Category:
        category = self.categories.get(self.cleaned_data["category"])
        if category is None:
            raise forms.ValidationError("Choose what kind of help or item it is")
        return category

    def clean_gift_type(self) -> str:
        value = str(self.cleaned_data.get("gift_type") or "")
        if not value:
            raise forms.ValidationError("Choose the kind of gift: head, hands or heart")
        return value

    def clean_photo(self) -> UploadedFile | None:
        photo = self.cleaned_data.get("photo")
        if not photo:
            return None
        if photo.size and photo.size > PHOTO_MAX_BYTES:
            raise forms.ValidationError("The photo must be smaller than 5 MB")
        image = getattr(photo, "image", None)
        if image is None or image.format not in PHOTO_FORMATS:
            raise forms.ValidationError("The photo must be a JPEG, PNG, WebP or GIF picture")
        return photo  # type: ignore[no-any-return]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        keeps_photo = (
            self.post is not None and bool(self.post.photo) and not data.get("remove_photo")
        )
        has_photo = bool(data.get("photo")) or keeps_photo
        if has_photo and not str(data.get("photo_alt") or "").strip():
            self.add_error("photo_alt", "Describe the photo for people who cannot see it")
        return data

    def post_data(self, kind: str) -> dict[str, Any]:
        """What ``giftboard.post_save`` takes."""
        data = self.cleaned_data
        values: dict[str, Any] = {
            "kind": kind,
            "title": data["title"],
            "description": data["description"],
            "category": data["category"],
            "gift_type": data.get("gift_type", ""),
            "availability": data["availability"],
            "available_days": list(data["available_days"]),
            "home_visit": bool(data.get("home_visit")),
            "via_hub_only": data["via_hub_only"],
            "photo_alt": data["photo_alt"].strip(),
        }
        if data.get("photo"):
            values["photo"] = data["photo"]
        elif data.get("remove_photo"):
            values["photo"] = ""
            values["photo_alt"] = ""
        return values

    @classmethod
    def initial_for(cls, post: GiftPost) -> dict[str, Any]:
        return {
            "title": post.title,
            "description": post.description,
            "category": str(post.category_id),
            "gift_type": post.gift_type,
            "availability": post.availability,
            "available_days": post.days,
            "postcode": "",
            "home_visit": post.home_visit,
            "via_hub_only": post.via_hub_only,
            "photo_alt": post.photo_alt,
        }


class AskForm(forms.Form):
    message = forms.CharField(
        label="Your message",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Say hello and what you have in mind. Do not include your phone number or address: "
        "we share first names and email addresses only when you both agree.",
    )
    their_post = forms.ChoiceField(
        label="Which of your posts is this about? (optional)", required=False
    )
    via_hub = forms.BooleanField(
        label="Put us in touch through hub staff instead",
        required=False,
        help_text="Hub staff will contact you both. Nothing is shared directly.",
    )

    def __init__(self, *args: Any, my_posts: list[GiftPost], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.my_posts = {str(post.public_id): post for post in my_posts}
        if my_posts:
            cast(forms.ChoiceField, self.fields["their_post"]).choices = [
                ("", "None of them"),
                *[(str(post.public_id), post.title) for post in my_posts],
            ]
        else:
            del self.fields["their_post"]

    def clean_their_post(self) -> GiftPost | None:
        return self.my_posts.get(self.cleaned_data.get("their_post") or "")


KIND_WORDS = {
    PostKind.OFFER: "offer",
    PostKind.NEED: "need",
}
