"""The grants app's models, one module per part."""
