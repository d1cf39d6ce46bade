"""Request and response shapes (the SQLModel/pydantic families of each domain)."""
