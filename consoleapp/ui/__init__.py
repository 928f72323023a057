"""The desktop console (docs/ARCHITECTURE.md §5): Qt widgets on one qasync loop.

Nothing here decides a business rule: every question goes to `consoleapp.sync.client.Console`
and every action is one of its commands. Screens learn what changed from the console's
change sets and refresh themselves (like Anki's OpChanges).
"""
