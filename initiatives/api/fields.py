"""How the API reads ``.values()`` rows: every field is declared once, on its serializer.

A field's ``source`` names the row key it comes from (DRF's own keyword; DRF fields
read dicts too). From the declared fields a serializer derives, once per class, two
things (RowSerializer in serializers.py):

- ``values_names()``: the names to pass to ``.values()``, a translated field bringing
  its ``_ru``/``_kk`` columns, a link the key it is built from, a nested object its
  columns under a prefix (``initiative__slug``);
- a read plan: one small function per field, ``read(row, links, vocabulary)``, so a
  list page maps rows to dicts without DRF's per-field machinery (bench/api_bench.py).

The classes here are the fields that need more than ``row[source]``; any other DRF
field reads its key as it is.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..translation import SOURCE_LANGUAGE, localized_value, translated


class RowField:
    """A field that says itself which row keys it needs and how it reads them. ``key`` is
    its row key (the prefix and its ``source``, else its name), ``prefix`` that of the
    nested object it is in ("" at the top)."""

    def values_names(self, key, prefix):
        return [key]

    def reader(self, key, prefix):  # pragma: no cover - every subclass has its own
        raise NotImplementedError


class TranslatedField(RowField, serializers.CharField):
    """Text in the language asked, English where untranslated (translation.localized_value)."""

    def values_names(self, key, prefix):
        return translated(key)

    def reader(self, key, prefix):
        return lambda row, links, vocabulary: localized_value(row, key, vocabulary.language)


class TranslationOrNullField(RowField, serializers.CharField):
    """Only a translation into the language asked: null in English or when there is none."""

    def values_names(self, key, prefix):
        return translated(key)

    def reader(self, key, prefix):

        def read(row, links, vocabulary):
            if vocabulary.language == SOURCE_LANGUAGE:
                return None
            text = row.get(f"{key}_{vocabulary.language}")
            return text if text and text.strip() else None

        return read


class LabelField(RowField, serializers.CharField):
    """A code's label in the language asked, from one of the Vocabulary's tables
    (``labels="status"`` reads Status.describe's label, None included)."""

    def __init__(self, *, labels, **kwargs):
        self.labels = labels
        super().__init__(**kwargs)

    def reader(self, key, prefix):
        labels = self.labels

        def read(row, links, vocabulary):
            code = row[key]
            return getattr(vocabulary, labels).get(code, code)

        return read


class LinkField(RowField, serializers.URLField):
    """An absolute link built from a row key: ``route`` reversed once per request
    (links.Links), ``as_of`` kept; ``anchor="update"`` adds ``#update-<id>``."""

    def __init__(self, *, route, key="slug", kwarg="slug", anchor="", **kwargs):
        self.route, self.route_key, self.kwarg, self.anchor = route, key, kwarg, anchor
        super().__init__(**kwargs)

    def values_names(self, key, prefix):
        return [prefix + self.route_key, *([prefix + "id"] if self.anchor else [])]

    def reader(self, key, prefix):
        key, route, kwarg = prefix + self.route_key, self.route, self.kwarg
        if self.anchor:
            id_key, anchor = prefix + "id", f"#{self.anchor}-"
            return lambda row, links, vocabulary: links.build(route, row[key], kwarg, f"{anchor}{row[id_key]}")
        return lambda row, links, vocabulary: links.build(route, row[key], kwarg)


class DateIfField(RowField, serializers.DateField):
    """A date shown only while a row flag holds (``achieved_on`` only if achieved by the date asked)."""

    def __init__(self, *, flag, **kwargs):
        self.flag = flag
        super().__init__(**kwargs)

    def values_names(self, key, prefix):
        return [key, prefix + self.flag]

    def reader(self, key, prefix):
        flag = prefix + self.flag
        return lambda row, links, vocabulary: row[key] if row[flag] else None


class CountrySerializer(serializers.Serializer):
    """A country (ISO 3166-1)."""

    code = serializers.CharField(read_only=True, help_text="ISO 3166-1 alpha-2 code.")
    name = serializers.CharField(read_only=True)


@extend_schema_field(CountrySerializer)
class CountryField(RowField, serializers.Field):
    """A stored country code as {code, name}, the name in the language asked; null when none."""

    def reader(self, key, prefix):
        return lambda row, links, vocabulary: vocabulary.country(row[key])


@extend_schema_field(CountrySerializer(many=True))
class CountryListField(RowField, serializers.Field):
    """The country codes attached to a row (rows.py), each as {code, name}."""

    def values_names(self, key, prefix):
        return []  # attached after the query, not a column

    def reader(self, key, prefix):
        return lambda row, links, vocabulary: [vocabulary.country(code) for code in row[key]]
