"""401/403 preconditions: the eIDAS client certificate, the OAuth2 access token, the screen-scraping identifier."""
