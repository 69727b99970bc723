from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative, Organisation, Theme

from .models import Frequency

TARGETS = {"initiative": Initiative, "theme": Theme, "organisation": Organisation}


class AddressField(forms.EmailField):
    """An email address on one line: anything that could smuggle a header is refused."""

    def to_python(self, value):
        if value and any(character in value for character in "\r\n\0"):
            raise ValidationError(_("Enter one email address, on one line."), code="header_injection")
        return super().to_python(value).lower()


class FollowForm(forms.Form):
    email = AddressField(label=_("Email address"), max_length=254)
    frequency = forms.ChoiceField(
        label=_("How often"), choices=Frequency.choices, initial=Frequency.IMMEDIATE, widget=forms.RadioSelect
    )
    # What to follow: at most one of these (a slug); none means every update.
    initiative = forms.SlugField(required=False, widget=forms.HiddenInput, max_length=200)
    theme = forms.SlugField(required=False, widget=forms.HiddenInput, max_length=200)
    organisation = forms.SlugField(required=False, widget=forms.HiddenInput, max_length=200)

    def clean(self):
        data = super().clean()
        given = [name for name in TARGETS if data.get(name)]
        if len(given) > 1:
            raise ValidationError(_("Follow one thing at a time."))
        data["target"] = None
        if given:
            name = given[0]
            target = TARGETS[name].objects.filter(slug=data[name]).first()
            if target is None:
                raise ValidationError(_("There is nothing to follow at that address."))
            data["target"] = (name, target)
        return data


class ManageLinkForm(forms.Form):
    email = AddressField(label=_("Email address"), max_length=254)


class ManageForm(forms.Form):
    """Change how often each subscription mails, or delete some or all."""

    def __init__(self, *args, subscriptions, **kwargs):
        super().__init__(*args, **kwargs)
        self.subscriptions = subscriptions
        for subscription in subscriptions:
            self.fields[f"frequency_{subscription.pk}"] = forms.ChoiceField(
                label=subscription.target_label, choices=Frequency.choices, initial=subscription.frequency
            )
            self.fields[f"delete_{subscription.pk}"] = forms.BooleanField(label=_("Stop this alert"), required=False)

    def rows(self):
        return [
            (subscription, self[f"frequency_{subscription.pk}"], self[f"delete_{subscription.pk}"])
            for subscription in self.subscriptions
        ]
