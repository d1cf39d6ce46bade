"""An organization's export (one ZIP of JSON per table, XLSX lists and a manifest) and its
import into another installation. graph.py says what the organization owns."""
