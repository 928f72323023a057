"""Video rooms (R17, R18): the providers (one per module), the `/join` links (routes.py) and ending
old rooms. Nothing is imported here: `consoleapp-server serve` checks the provider's settings
(provider.py) before starting its workers, without the web framework the routes need."""
