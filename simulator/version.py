"""The package's version, kept apart so every layer can name it without importing the API."""

__version__ = "0.1.0"
