"""Textual screens of cal365."""
