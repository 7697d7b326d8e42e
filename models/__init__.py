"""The model assets and the series data of stj-extract, installed as package data (``extract.models``)."""
