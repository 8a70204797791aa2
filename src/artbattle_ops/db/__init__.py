"""Database access: connection pools, query execution, embedded server and migrations."""
