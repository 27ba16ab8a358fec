"""Talking to Telegram: receiving updates in order, and delivering the outbox exactly as stored."""
