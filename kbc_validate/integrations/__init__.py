"""HTTP client integrations: validate every payment initiation before a byte leaves the machine.

``kbc_validate.integrations.requests`` (needs ``requests``) and ``kbc_validate.integrations.httpx`` (needs
``httpx``) are imported only when you import them. Requests that do not initiate a payment pass through untouched.
"""
