-- Whether a user's email is one Gatehouse may find them by (link an SSO identity to them): set by an
-- admin (who vouches for it), or verified as the IdP or the org's verified domains say. An email an
-- IdP sent unverified is kept as profile data only. Existing emails were all set under the old rules.
alter table users add column email_verified boolean not null default true;
