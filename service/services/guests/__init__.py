"""A training's invited guests and committee (panitia), their attendance per day (ticked
or scanned from their QR card), and narasumber attendance per session."""
