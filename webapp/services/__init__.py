"""The rules, by domain, shared by pages, the API and the CLI: each function commits its change or raises a
`rules.Refused` with nothing saved."""
