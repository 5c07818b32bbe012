"""The JSON API under /api/v1 (`views`) and its OpenAPI 3.1 document (`openapi`)."""
