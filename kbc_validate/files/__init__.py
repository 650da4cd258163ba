"""Payment files: JSON, JSON Lines and CSV read into bodies, and findings located by file, line and column."""
