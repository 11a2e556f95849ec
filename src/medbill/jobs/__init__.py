"""Background jobs (Celery task wrappers around services); in-process by default."""
