"""REST API v1 of this app (see ctms/api.py)."""
