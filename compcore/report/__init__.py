"""Formatting, the plan document, scenario comparison and the standalone HTML document."""
