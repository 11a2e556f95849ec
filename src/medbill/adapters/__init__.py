"""I/O behind the services' ports: the database, password hashing, and later clearinghouses and queues."""
