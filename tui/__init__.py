"""cal365: a keyboard-driven terminal app for Microsoft 365 calendars."""

__version__ = "0.1.0"
