"""Page-number pagination that answers bad paging input with a 400, not a guess."""

import re
from functools import partial

from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError

from ..cache import CachedPaginator, normalised_params, recognised_names

POSITIVE_INT = re.compile(r"\A[0-9]{1,18}\Z")
DIGITS = re.compile(r"\A[0-9]+\Z")


class PageNumberPagination(pagination.PageNumberPagination):
    """``page`` (from 1) and ``page_size`` (1 to 100, default 25); the body carries ``count``.

    A page past the last one is a 404; a page or page_size that is not a whole
    number in range is a 400 naming the parameter.
    """

    django_paginator_class = CachedPaginator
    page_size_query_param = "page_size"
    max_page_size = 100
    last_page_strings = ()
    invalid_page_message = _("Page {page_number} does not exist: {message}")

    @staticmethod
    def _positive_int(name, raw, maximum=None):
        value = int(raw) if POSITIVE_INT.match(raw) else 0
        if value < 1 or (maximum is not None and value > maximum):
            if maximum is None:
                message = _("%(name)s must be a whole number from 1.") % {"name": name}
            else:
                message = _("%(name)s must be a whole number from 1 to %(maximum)d.") % {
                    "name": name,
                    "maximum": maximum,
                }
            raise ValidationError({name: [message]})
        return value

    def paginate_queryset(self, queryset, request, view=None):
        # Count and rows (plain .values() dicts) cached under the recognised, normalised
        # parameters: the FilterSet's, as_of, lang and the page's own.
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is not None:
            names = recognised_names(filterset_class) | {"as_of", "lang"}
            filters = normalised_params(request.query_params, names - {"ordering"})
            state = (type(view).__name__, *sorted(view.kwargs.items()), *filters)
            rows = (*state, *normalised_params(request.query_params, {"ordering"}))
            self.django_paginator_class = partial(
                CachedPaginator, count_parts=state, row_parts=rows, as_of=getattr(view, "as_of", None)
            )
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        return self._positive_int(self.page_size_query_param, raw, self.max_page_size)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None or raw == "":
            return 1
        if DIGITS.match(raw) and not POSITIVE_INT.match(raw):
            # A well-formed page number too big for any database: past the last page.
            raise NotFound(self.invalid_page_message.format(page_number=raw[:20] + "...", message=_("Too large.")))
        return self._positive_int(self.page_query_param, raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
                parameter["description"] = str(_("Page number, from 1. A page past the last one is a 404."))
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size, default=self.page_size)
                parameter["description"] = str(
                    _("Results per page, 1 to %(maximum)d (default %(default)d); outside that range is a 400.")
                    % {"maximum": self.max_page_size, "default": self.page_size}
                )
        return parameters
