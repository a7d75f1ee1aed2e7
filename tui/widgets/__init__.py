"""Textual widgets of cal365."""
