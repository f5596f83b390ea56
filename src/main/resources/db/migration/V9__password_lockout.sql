-- Password lockout (gatehouse.password-login.*) reads a username's recent password attempts; usernames
-- are case-insensitive, so they are matched lower-cased.
create index login_attempts_password_hint_idx on login_attempts (lower(login_hint), created_at)
    where protocol = 'password';

-- When an admin last ended this user's password lockout: failures before it no longer count.
alter table users add column password_unlocked_at timestamptz;
