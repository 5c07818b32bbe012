"""What the tests share. No test module imports another test module, nor a conftest: they all import from here,
and the conftest files keep only fixtures (and import their helpers from here too).

- `apps`: the web app with the test settings (`make_app`).
- `catalogue`: the shared catalogue of two associations and their openings.
- `clients`: English browsers, the one CSRF-token reader, the API's CSRF header, a form's field errors.
- `signin`: the test users' password, the sign-in form, and signing in by session cookie.
- `youths`: a signed-up youth's browser, and the profile, steps and interest it sends.
- `applicants`: members, youths and their interest, made straight in the database.
- `coordinators`: coordinators with a region, and youths referred into it.
- `referrals`: the people of the referral tests.
- `outcomes`: youths with activities and next steps, and the SVG charts.
- `worlds`: two mirrored sides of everything, for the security tests; a snapshot of every row.
- `routes`: the route tables of the access matrix (public, per role, their parameters).
- `api`: the JSON API's error shape and the OpenAPI schema check.
- `fuzz`: HTML forms read into field/value pairs, and hostile values to post.
- `browser`: Playwright pages, screenshots, the axe-core check, sign-up and sign-in in a real browser.
- `seed_data`: checks of the seed records in fixtures/.
- `strategies`: Hypothesis strategies for the engine's youths and openings, and an oracle of its rules.

tests/conftest.py has pytest rewrite the asserts of these modules, as it does in test modules.
"""
