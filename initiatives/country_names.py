"""Country names in the language shown.

django-countries translates its names into Russian (and many other languages) but
ships nothing for Kazakh. The names below are marked for translation so that our
catalogue gives them in Kazakh (locale/kk); Django merges catalogues, and ours
comes first, so locale/ru repeats django-countries' own Russian names unchanged.
They are the tracker's region, its neighbours and partners; a country outside
the list is shown in English on /kk/ pages, marked as English (``country_name``),
and tests/test_i18n_content.py checks that every country in the dataset is here.
"""

from django.utils import translation
from django.utils.translation import gettext_noop
from django_countries import countries

from .translation import SOURCE_LANGUAGE, LocalizedText, language_code

# django-countries' English names, exactly: they are its msgids.
KAZAKH_CATALOGUE_NAMES = (
    gettext_noop("Kazakhstan"),
    gettext_noop("China"),
    gettext_noop("Russia"),
    gettext_noop("Kyrgyzstan"),
    gettext_noop("Uzbekistan"),
    gettext_noop("Tajikistan"),
    gettext_noop("Turkmenistan"),
    gettext_noop("Azerbaijan"),
    gettext_noop("Armenia"),
    gettext_noop("Georgia"),
    gettext_noop("Belarus"),
    gettext_noop("Ukraine"),
    gettext_noop("Mongolia"),
    gettext_noop("Afghanistan"),
    gettext_noop("Iran"),
    gettext_noop("Pakistan"),
    gettext_noop("India"),
    gettext_noop("Türkiye"),
    gettext_noop("United States of America"),
    gettext_noop("United Kingdom"),
    gettext_noop("Germany"),
    gettext_noop("France"),
    gettext_noop("Italy"),
    gettext_noop("Spain"),
    gettext_noop("Netherlands"),
    gettext_noop("Switzerland"),
    gettext_noop("Finland"),
    gettext_noop("Estonia"),
    gettext_noop("Poland"),
    gettext_noop("Hungary"),
    gettext_noop("Japan"),
    gettext_noop("South Korea"),
    gettext_noop("Singapore"),
    gettext_noop("Malaysia"),
    gettext_noop("Indonesia"),
    gettext_noop("Vietnam"),
    gettext_noop("United Arab Emirates"),
    gettext_noop("Saudi Arabia"),
    gettext_noop("Qatar"),
    gettext_noop("Israel"),
    gettext_noop("Canada"),
    gettext_noop("Brazil"),
)


def country_name(code, language=None):
    """The country's name in the language, or its English name marked as the
    fallback where no catalogue translates it."""
    if not code:
        return LocalizedText.make("", SOURCE_LANGUAGE, False)
    language = language_code(language)
    with translation.override(SOURCE_LANGUAGE):
        english = str(countries.name(code))
    if language == SOURCE_LANGUAGE:
        return LocalizedText.make(english, SOURCE_LANGUAGE, False)
    with translation.override(language):
        name = str(countries.name(code))
    if name == english:
        return LocalizedText.make(english, SOURCE_LANGUAGE, True)
    return LocalizedText.make(name, language, False)
