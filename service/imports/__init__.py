"""Importing participant lists from spreadsheets: reading, column matching, row validation."""
