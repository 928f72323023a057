"""The bundled sync server: the engine run authoritatively behind HTTP."""
