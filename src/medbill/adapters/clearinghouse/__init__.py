"""Clearinghouse transports behind the services' ``Clearinghouse`` port: SFTP, a local folder pair, an HTTP API."""
