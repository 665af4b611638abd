"""Validated models of the handbook's content and the collection that holds them."""
