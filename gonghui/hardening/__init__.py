"""Hardening suites: bad input on every form, importer and API endpoint, a
schemathesis run against the OpenAPI schema, and a fuzz target for the roster
importer. Only tests live here (gonghui/hardening/tests/); the fixes they led
to live in the apps that own the code."""
