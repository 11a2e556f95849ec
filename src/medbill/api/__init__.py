"""The REST API under /api/v1 (FastAPI): parse the request, call a service, shape the answer."""
