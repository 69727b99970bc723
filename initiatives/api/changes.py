"""``/api/changes/``: what changed between two dates, the same data as the /changes/
page (initiatives/changes.py) with the same filters as /api/initiatives/."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from ..changes import FROM_PARAM, LIST_LIMIT, SECTIONS, TO_PARAM, changes_data, period_and_initiatives
from ..timetravel import AS_OF_PARAM
from ..vocabularies import InitiativeKind
from . import filters
from .links import Links
from .serializers import STATUS_CHOICES, precision_field
from .views import AS_OF_DATE_PATTERN, ERRORS, INITIATIVE_FACETS, LANG, check_language, search_parameter

# --- Changes ----------------------------------------------------------------------------


class ChangeInitiativeSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    title = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=InitiativeKind.choices, read_only=True)
    kind_label = serializers.CharField(read_only=True)
    themes = serializers.ListField(child=serializers.DictField(), read_only=True, help_text="{slug, name} each.")
    url = serializers.URLField(read_only=True)
    html_url = serializers.URLField(read_only=True, help_text="The initiative's page as of `to`.")


class EvidenceSerializer(serializers.Serializer):
    title = serializers.CharField(read_only=True)
    publisher = serializers.CharField(read_only=True)
    external_url = serializers.CharField(read_only=True)
    published_on = serializers.DateField(read_only=True, allow_null=True)
    published_on_precision = precision_field("published_on")


class ChangeUpdateSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    url = serializers.URLField(read_only=True)
    html_url = serializers.URLField(read_only=True)
    reported_on = serializers.DateField(read_only=True)
    reported_on_precision = precision_field("reported_on")
    headline = serializers.CharField(read_only=True)
    sources = EvidenceSerializer(many=True, read_only=True)


class StatusChangeSerializer(serializers.Serializer):
    initiative = ChangeInitiativeSerializer(read_only=True)
    from_status = serializers.ChoiceField(
        choices=STATUS_CHOICES, read_only=True, allow_null=True, help_text="Status on `from`; null: not yet assessed."
    )
    to_status = serializers.ChoiceField(choices=STATUS_CHOICES, read_only=True, help_text="Status on `to`.")
    from_progress = serializers.IntegerField(read_only=True, allow_null=True)
    to_progress = serializers.IntegerField(read_only=True, allow_null=True)
    update = ChangeUpdateSerializer(read_only=True, help_text="The update that made the change, with its evidence.")


class AnnouncementSerializer(serializers.Serializer):
    initiative = ChangeInitiativeSerializer(read_only=True)
    on = serializers.DateField(read_only=True, help_text="First on record: its proposal or first published update.")
    on_precision = precision_field("on")


class MilestoneChangeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    url = serializers.URLField(read_only=True)
    title = serializers.CharField(read_only=True)
    due_on = serializers.DateField(read_only=True)
    due_on_precision = precision_field("due_on")
    achieved_on = serializers.DateField(read_only=True, allow_null=True)
    achieved_on_precision = precision_field("achieved_on")
    initiative = ChangeInitiativeSerializer(read_only=True)


class SectionCountsSerializer(serializers.Serializer):
    status_changes = serializers.IntegerField(read_only=True)
    announced = serializers.IntegerField(read_only=True)
    milestones_achieved = serializers.IntegerField(read_only=True)
    milestones_overdue = serializers.IntegerField(read_only=True)


class ChangeGroupSerializer(serializers.Serializer):
    group = serializers.ChoiceField(choices=["kind", "theme"], read_only=True)
    code = serializers.CharField(read_only=True, help_text="The kind's code or the theme's slug.")
    label = serializers.CharField(read_only=True)
    counts = SectionCountsSerializer(read_only=True)


class ChangesSerializer(serializers.Serializer):
    """What changed after `from`, up to and on `to`."""

    # "from" is a Python keyword: the field is renamed in to_representation's output.
    from_ = serializers.DateField(read_only=True, label="from")
    to = serializers.DateField(read_only=True)
    totals = SectionCountsSerializer(read_only=True, help_text="Every change in the period, whatever is listed.")
    groups = ChangeGroupSerializer(many=True, read_only=True, help_text="Counts by initiative kind and by theme.")
    status_changes = StatusChangeSerializer(many=True, read_only=True)
    announced = AnnouncementSerializer(many=True, read_only=True)
    milestones_achieved = MilestoneChangeSerializer(many=True, read_only=True)
    milestones_overdue = MilestoneChangeSerializer(many=True, read_only=True)
    listed_limit = serializers.IntegerField(
        read_only=True, help_text="At most this many entries are listed per section; the CSV holds them all."
    )
    csv_url = serializers.URLField(read_only=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


def date_parameter(name, description):
    return OpenApiParameter(
        name, {"type": "string", "format": "date", "pattern": AS_OF_DATE_PATTERN}, description=description
    )


class ChangesView(APIView):
    """What changed between two dates."""

    @extend_schema(
        operation_id="changes",
        parameters=[
            date_parameter(FROM_PARAM, "Start of the period (changes after it count). Default: 30 days before `to`."),
            date_parameter(TO_PARAM, "End of the period (changes on it count). Default: today."),
            date_parameter(AS_OF_PARAM, "The end of the period when `to` is not given (as on the pages)."),
            LANG,
            OpenApiParameter("kind", {"type": "array", "items": {"type": "string", "enum": InitiativeKind.values}}),
            *INITIATIVE_FACETS,
            search_parameter("the title, summary, description or the headline or body of a published update"),
        ],
        responses={200: ChangesSerializer, **ERRORS},
        description="Status or progress changes (old and new, with the update that made the change and its "
        "evidence), initiatives first on record, milestones achieved and milestones that fell overdue, after "
        "`from` up to and on `to`, with counts by kind and theme. Filtered like /api/initiatives/ (`status` is the "
        f"status on `to`). Each section lists at most {LIST_LIMIT} entries; `totals` count them all. A malformed "
        "date, or `from` not before `to`, is a 400.",
    )
    def get(self, request):
        check_language(request)
        try:
            start, end, initiatives = period_and_initiatives(request.query_params, filters.InitiativeFilter)
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from None
        data = changes_data(request.query_params, start, end, initiatives)
        links = Links(request, end)
        return Response(represent(data, links, request))


def represent(data, links, request):
    def initiative(entry):
        return {
            **{key: entry[key] for key in ("slug", "title", "kind", "kind_label", "themes")},
            "url": links.initiative(entry["slug"]),
            "html_url": links.initiative_page(entry["slug"]),
        }

    def update(entry):
        if entry is None:
            return None
        return {
            "id": entry["id"],
            "url": links.status_update(entry["id"]),
            "html_url": links.initiative_page(data_slug[entry["id"]], fragment=f"#update-{entry['id']}"),
            "reported_on": entry["reported_on"],
            "reported_on_precision": entry["reported_on_precision"],
            "headline": entry["headline"],
            "sources": [
                {
                    **{k: s[k] for k in ("title", "publisher", "published_on", "published_on_precision")},
                    "external_url": s["url"],
                }
                for s in entry["sources"]
            ],
        }

    def milestone(entry):
        return {
            **{key: entry[key] for key in ("id", "title", "due_on", "due_on_precision", "achieved_on")},
            "achieved_on_precision": entry["achieved_on_precision"],
            "url": links.milestone(entry["id"]),
            "initiative": initiative(entry["initiative"]),
        }

    sections = data["sections"]
    data_slug = {
        entry["update"]["id"]: entry["initiative"]["slug"] for entry in sections["status_changes"] if entry["update"]
    }
    query = request.query_params.urlencode()
    return {
        "from": data["from"],
        "to": data["to"],
        "totals": data["totals"],
        "groups": data["groups"],
        "status_changes": [
            {
                "initiative": initiative(entry["initiative"]),
                **{key: entry[key] for key in ("from_status", "to_status", "from_progress", "to_progress")},
                "update": update(entry["update"]),
            }
            for entry in sections["status_changes"]
        ],
        "announced": [
            {"initiative": initiative(entry["initiative"]), "on": entry["on"], "on_precision": entry["on_precision"]}
            for entry in sections["announced"]
        ],
        "milestones_achieved": [milestone(entry) for entry in sections["milestones_achieved"]],
        "milestones_overdue": [milestone(entry) for entry in sections["milestones_overdue"]],
        "listed_limit": data["listed_limit"],
        "csv_url": request.build_absolute_uri(reverse("initiatives:changes-csv") + (f"?{query}" if query else "")),
    }


assert set(SECTIONS) == set(SectionCountsSerializer().fields)  # noqa: S101
