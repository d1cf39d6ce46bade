"""A meeting's minutes (notulen): saving with merging, and the document's contents."""
