"""Pure rendering functions: plain data in, bytes out (QR, PDFs, spreadsheets)."""
