"""Human-readable API documentation, rendered on the server from the OpenAPI schema.

Swagger UI needs inline script and a script bundle, which our content security
policy refuses; a plain page from the same schema works everywhere, without
JavaScript, and cannot drift from it.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from api.endpoints import api


def _resolve(schema: dict, node: dict) -> dict:
    ref = node.get("$ref")
    if not ref:
        return node
    name = ref.rsplit("/", 1)[-1]
    return schema["components"]["schemas"][name]


def _type(schema: dict, node: dict) -> str:
    if "$ref" in node:
        return node["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in node:
        return " or ".join(_type(schema, option) for option in node["anyOf"])
    if node.get("type") == "array":
        return "list of " + _type(schema, node.get("items", {}))
    return node.get("type", "any")


def operations(schema: dict) -> list[dict]:
    found = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            found.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": p["in"],
                            "type": _type(schema, p.get("schema", {})),
                            "required": p.get("required", False),
                            "description": p.get("description", "")
                            or p.get("schema", {}).get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "responses": sorted(operation.get("responses", {})),
                }
            )
    return found


def models(schema: dict) -> list[dict]:
    return [
        {
            "name": name,
            "fields": [
                {"name": field, "type": _type(schema, spec)}
                for field, spec in body.get("properties", {}).items()
            ],
        }
        for name, body in sorted(schema.get("components", {}).get("schemas", {}).items())
    ]


def docs(request: HttpRequest) -> HttpResponse:
    schema = api.get_openapi_schema(path_prefix=request.path.removesuffix("docs"))
    return render(
        request,
        "api/docs.html",
        {
            "schema": schema,
            "operations": operations(schema),
            "models": models(schema),
            "base": request.build_absolute_uri(request.path.removesuffix("docs")),
        },
    )
