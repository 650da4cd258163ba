"""Body rules. They never raise on user input: each check appends its findings to the context and returns."""
