"""Flask CLI commands: `flask --app webapp db|seed|import-openings|allocate` (`commands`), and the
demo history that `seed` adds (`demo_history`)."""
