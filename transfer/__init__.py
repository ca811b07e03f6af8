"""Bulk import and export of records as JSON Lines (SPEC section 6)."""
