-- An SP-initiated SAML sign-in is bound to the browser that started it: the SHA-256 of a random
-- secret that only that browser holds, in a short-lived cookie named after the request.
alter table saml_requests add column browser_binding text;
