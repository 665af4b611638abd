"""Reading content files into validated models, collecting every error in one pass."""
