"""The backfill sweep: every existing resource, page by page, attributed and tagged in bulk."""
