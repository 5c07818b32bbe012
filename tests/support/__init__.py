"""What the tests share: clients, sign-in, CSRF tokens and the worlds they build. No test module
imports another test module; they all import from here."""
