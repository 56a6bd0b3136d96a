"""Script parsing: a script file (Markdown, plain text) to a frozen Script."""
