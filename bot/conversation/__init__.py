"""The conversation engine: registry of commands, flows and buttons; the transaction per update.

Free of features: the handlers in bot/handlers/ register themselves here, the engine runs
them (docs/architecture.md).
"""
