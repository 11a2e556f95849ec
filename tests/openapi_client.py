"""A test client that checks every response against the API's own OpenAPI document (status, media type, schema)."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

DOC_URI = "urn:medbill:openapi"


class SchemaCheckedClient:
    def __init__(self, app: FastAPI, token: str | None = None) -> None:
        self.http = TestClient(app, base_url="http://127.0.0.1")
        self.doc: dict[str, Any] = self.http.get("/api/v1/openapi.json").json()
        resource = Resource.from_contents(self.doc, default_specification=DRAFT202012)
        self.registry: Registry[Any] = Registry().with_resource(DOC_URI, resource)
        self.token = token
        self.checked: set[tuple[str, str, int]] = set()

    def close(self) -> None:
        self.http.close()

    def call(
        self,
        method: str,
        template: str,
        *,
        path: dict[str, str] | None = None,
        token: str | None = "default",  # noqa: S107 - a sentinel, not a secret
        **kwargs: Any,
    ) -> httpx.Response:
        url = "/api/v1" + template.format(**(path or {}))
        headers = dict(kwargs.pop("headers", {}))
        bearer = self.token if token == "default" else token
        if bearer:
            headers["Authorization"] = f"Bearer {bearer}"
        response = self.http.request(method, url, headers=headers, **kwargs)
        self.check(method, template, response)
        return response

    def check(self, method: str, template: str, response: httpx.Response) -> None:
        operation = self.doc["paths"]["/api/v1" + template][method.lower()]
        status = str(response.status_code)
        assert status in operation["responses"], f"{method} {template} answered {status}, which is not documented"
        content = operation["responses"][status].get("content")
        if not content:
            assert not response.content, f"{method} {template} {status} should have no body"
            return
        media_type = response.headers["content-type"].split(";")[0]
        assert media_type in content, f"{method} {template} {status} answered {media_type}, documented {list(content)}"
        pointer = (
            f"/paths/{_escape('/api/v1' + template)}/{method.lower()}/responses/{status}/content/"
            + _escape(media_type)
            + "/schema"
        )
        validator = Draft202012Validator({"$ref": f"{DOC_URI}#{pointer}"}, registry=self.registry)
        errors = sorted(validator.iter_errors(response.json()), key=lambda e: list(e.path))
        assert not errors, f"{method} {template} {status}: {errors[0].message} at {list(errors[0].path)}"
        self.checked.add((method.lower(), template, response.status_code))


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")
