SET lock_timeout = '5s';

-- The phone key of tools.md §1.2 as an immutable SQL function, so tools compare stored phones by
-- key through an expression index instead of recomputing the key on every row. Steps: a leading
-- 00 means +; keep the digits; 10 digits without a + get the North American 1. Only [0-9] counts
-- as a digit, whatever the collation. Like esbmcp_fold, it reads no table, so EXECUTE stays with
-- PUBLIC. A later file that changes its body must rebuild every index that uses it.
CREATE OR REPLACE FUNCTION public.esbmcp_phone_key(value text)
RETURNS text
LANGUAGE sql
IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT CASE
    WHEN value !~ '^\s*(\+|00)'
     AND length(regexp_replace(value, '[^0-9]', '', 'g')) = 10
    THEN '1' || regexp_replace(value, '[^0-9]', '', 'g')
    ELSE regexp_replace(regexp_replace(value, '^\s*00', ''), '[^0-9]', '', 'g')
  END
$$;

COMMENT ON FUNCTION public.esbmcp_phone_key(text) IS
    'Phone key of tools.md §1.2 (digits only, 00 as +, 10 digits get the leading 1); immutable, '
    'so expression indexes on it are valid';
