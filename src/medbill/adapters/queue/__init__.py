"""Background work on an existing engine: Celery on RabbitMQ (or Redis), when ``MEDBILL_BROKER_URL`` names one."""
