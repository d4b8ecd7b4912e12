"""The talks app's views, one module per feature."""
