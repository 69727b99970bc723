"""OpenAPI post-processing: the status vocabulary's meanings, from the one mapping."""

from ..vocabularies import Status


def describe_statuses(result, generator, request, public):
    """Append a table of status values, labels and meanings (Status.descriptions) to the API description."""
    lines = ["", "", "Status values (`status` on initiatives and updates):", ""]
    lines += [
        f"- `{described.code or 'null'}`, {described.label}: {described.meaning}" for described in Status.descriptions()
    ]
    result["info"]["description"] = result["info"].get("description", "") + "\n".join(str(line) for line in lines)
    return result


def allow_empty_query_values(result, generator, request, public):
    """Declare what the API does with ``?param=``: an empty value counts as absent."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    parameter["allowEmptyValue"] = True
    return result
