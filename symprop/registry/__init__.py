"""The function registry's parts; :mod:`symprop.registry.functions` is the table that gathers them."""
