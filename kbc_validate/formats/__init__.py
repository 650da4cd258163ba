"""Output formats of the command line: text, JSON, GitHub annotations, SARIF, the HTML report and the errors CSV."""
