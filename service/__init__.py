"""Bimtek: training events for Indonesia's Kampung KB programme."""
