"""The Console's operations, one module per screen (like Anki's `aqt/operations`): each holds the
queries its screen asks and the commands it sends; `console.Console` puts them together."""
