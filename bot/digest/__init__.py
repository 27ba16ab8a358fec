"""The weekly digest to the Camat's group, its chart, the reminders, and when they go out."""
