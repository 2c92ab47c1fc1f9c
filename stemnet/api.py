"""The JSON API under /api/v1 (django-ninja). Errors are 4xx with a reason, never 500."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

# The error answers of every operation, documented once (the handlers below make them).
ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "The reason, in the request's language."},
        "errors": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["detail"],
}
ERRORS = {
    400: "The request cannot be read: a NUL byte, or a body that is not JSON.",
    401: "No valid API token (manage operations).",
    403: "The token or account may not do this; `detail` says why.",
    404: "Nothing at this address.",
    422: "The input is not valid; `detail` and `errors` say what to correct.",
}


class Api(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """The generated document, with the error answers each operation can give."""
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for path, operations in schema["paths"].items():
            for operation in operations.values():
                codes = [400, 422]
                if "{" in path:
                    codes.append(404)
                if operation.get("security"):
                    codes += [401, 403]
                responses = operation.setdefault("responses", {})
                for code in codes:
                    responses.setdefault(code, {"description": ERRORS[code], "content": error})
        return schema


api = Api(
    title="STEMnet API",
    version="1",
    description="Public agenda, organisations, reach figures and funding results of STEMnet.",
    urls_namespace="api",
)


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [f"{field}: {m}" for field, msgs in exc.message_dict.items() for m in msgs]
    return [str(m) for m in exc.messages]


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    return api.create_response(
        request, {"detail": "; ".join(_messages(exc)), "errors": _messages(exc)}, status=422
    )


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc: PermissionDenied):
    return api.create_response(request, {"detail": str(exc) or "You may not do this."}, status=403)


@api.exception_handler(Http404)
def on_not_found(request, exc: Http404):
    return api.create_response(request, {"detail": str(exc) or "Not found."}, status=404)


@api.exception_handler(NinjaValidationError)
def on_input_error(request, exc: NinjaValidationError):
    errors = [
        f"{'.'.join(str(p) for p in e.get('loc', []))}: {e.get('msg', '')}" for e in exc.errors
    ]
    return api.create_response(request, {"detail": "; ".join(errors), "errors": errors}, status=422)


api.add_router("/organisations", "stemnet.organisations.api.router")
api.add_router("/places", "stemnet.places.api.router")
api.add_router("", "stemnet.agenda.api.router")
api.add_router("", "stemnet.events.api.router")
api.add_router("/uit", "stemnet.uit.api.router")
api.add_router("/reach", "stemnet.reach.api.router")
api.add_router("/contact-point", "stemnet.matching.api.router")
api.add_router("/funding", "stemnet.funding.api.router")
