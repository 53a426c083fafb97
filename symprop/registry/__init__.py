"""The function registry's parts; :mod:`symprop.functions` is the table that gathers them."""
