"""Services: the plain functions that change things (import a file, start a run, set up a store).
Views call them; so do the tests, the demo loader and the worker."""
