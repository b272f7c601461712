"""The main screen: its widgets (layout.py) and the presenter, the only code that queries them."""
