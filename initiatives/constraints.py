"""A database check whose violation the forms report beside one field.

Django reports a CheckConstraint's violation for the whole form; these rules are
about one field (a period's end), so the form says
so there, and the rule is written once, in the constraint: no clean() repeats it.
"""

from django.core.exceptions import ValidationError
from django.db import models


class FieldCheckConstraint(models.CheckConstraint):
    def __init__(self, *, field, **kwargs):
        super().__init__(**kwargs)
        self.field = field

    def validate(self, model, instance, exclude=None, using=models.constraints.DEFAULT_DB_ALIAS):
        try:
            super().validate(model, instance, exclude=exclude, using=using)
        except ValidationError as error:
            raise ValidationError({self.field: error.error_list}) from None

    def __eq__(self, other):
        return super().__eq__(other) and self.field == getattr(other, "field", None)

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        return path, args, {**kwargs, "field": self.field}
