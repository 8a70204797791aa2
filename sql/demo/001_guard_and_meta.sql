-- Demo schema 001: the production guard and the demo_meta table (schema.md §1.3, §4.8).
-- The demo schema is for local, test and benchmark databases only. A database that has
-- public.events but no public.demo_meta is a real Art Battle database: stop before touching it.

DO $$
BEGIN
    IF to_regclass('public.events') IS NOT NULL AND to_regclass('public.demo_meta') IS NULL THEN
        RAISE EXCEPTION 'refusing to apply the demo schema: public.events exists but public.demo_meta does not (a real Art Battle database)'
            USING HINT = 'The demo schema is applied only to new, disposable databases.';
    END IF;
END
$$;

CREATE TABLE IF NOT EXISTS public.demo_meta (
    key text PRIMARY KEY,
    value jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
