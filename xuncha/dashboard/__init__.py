"""The leadership dashboard: coverage and rectification figures, each linked to the rows behind it."""
