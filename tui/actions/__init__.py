"""What cal365 does to events, apart from any UI: cancels (one, many, an occurrence or a
series), their outcomes, comment drafts, the audit log and the triage state of the main
screen. Never imports Textual; the app and the script commands both use it."""
