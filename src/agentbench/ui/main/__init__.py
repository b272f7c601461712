"""The main screen's presenter: the only code that queries the workbench's widgets."""
