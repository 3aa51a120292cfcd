-- 0027 Sign-in throttling instead of account lockout (OWASP authentication guidance).
-- Failed sign-ins are counted per (account, address), per address and per account, keyed by the
-- username as typed (lower-cased) whether or not such a user exists, so unknown and known
-- usernames are answered alike. A bucket past its free failures delays further attempts
-- (blocked_until, growing with each failure, capped); nothing locks an account for good, and the
-- real user's own address has a bucket of its own. Counts restart after a day without failures.
CREATE TABLE login_throttle (
  scope           text NOT NULL CHECK (scope IN ('pair', 'address', 'account')),
  username        text NOT NULL DEFAULT '',
  ip              text NOT NULL DEFAULT '',
  failures        int NOT NULL DEFAULT 0,
  last_failure_at timestamptz NOT NULL DEFAULT now(),
  blocked_until   timestamptz,
  PRIMARY KEY (scope, username, ip)
);
CREATE INDEX login_throttle_username ON login_throttle (username) WHERE username <> '';
-- Owner only: row-level security without a policy lets the app and family roles see nothing.
ALTER TABLE login_throttle ENABLE ROW LEVEL SECURITY;

-- Whether sign-in of this username is being delayed now (for the users list; a county admin can
-- release it). SECURITY DEFINER: the table is owner-only; it answers a yes/no only.
CREATE FUNCTION yl_sign_in_delayed(p_username text) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT EXISTS (SELECT 1 FROM login_throttle
                  WHERE username = lower(p_username) AND scope IN ('pair', 'account') AND blocked_until > now())
$$;
REVOKE ALL ON FUNCTION yl_sign_in_delayed(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yl_sign_in_delayed(text) TO yinling_app;

-- Forgets the failures counted against a user's account (from every address), for a user the
-- caller may manage (the user's region is in the caller's scope). The per-address counts stay.
CREATE FUNCTION yl_sign_in_release(p_user uuid) RETURNS void
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
  DELETE FROM login_throttle t USING users u
   WHERE u.id = p_user AND yl_in_scope(u.region_code)
     AND t.username = lower(u.username) AND t.scope IN ('pair', 'account')
$$;
REVOKE ALL ON FUNCTION yl_sign_in_release(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yl_sign_in_release(uuid) TO yinling_app;
