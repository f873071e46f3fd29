"""The stories app's models, one module per part."""
