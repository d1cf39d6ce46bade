"""Business logic: plain functions over a Session. They flush, never commit."""
