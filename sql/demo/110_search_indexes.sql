-- Demo schema 110: search indexes for the tools' substring searches (schema.md §4.10).
-- With pg_trgm available: GIN trigram indexes. Without it (the embedded server has no contrib):
-- btree text_pattern_ops indexes on the same expressions, which serve equality and prefix
-- searches; substring searches stay correct by sequential scan. The outcome is recorded in
-- demo_meta.search_index_mode. The expressions must stay exactly those the tools query with.
-- Trigram indexes are built in a sub-block: if the extension cannot be created (no privilege)
-- the fallback is used instead of failing the load.

DO $$
DECLARE
    trgm_opclass text;
    mode text := 'btree_fallback';
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_available_extensions WHERE name = 'pg_trgm') THEN
        BEGIN
            CREATE EXTENSION IF NOT EXISTS pg_trgm;

            SELECT format('%I.gin_trgm_ops', n.nspname) INTO trgm_opclass
            FROM pg_catalog.pg_opclass c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.opcnamespace
            JOIN pg_catalog.pg_am am ON am.oid = c.opcmethod
            WHERE c.opcname = 'gin_trgm_ops' AND am.amname = 'gin';

            EXECUTE format(
                'CREATE INDEX IF NOT EXISTS people_email_trgm_idx'
                ' ON public.people USING gin (email %s)', trgm_opclass);
            EXECUTE format(
                'CREATE INDEX IF NOT EXISTS people_name_fold_trgm_idx'
                ' ON public.people USING gin (public.esbmcp_fold(name) %s)', trgm_opclass);
            EXECUTE format(
                'CREATE INDEX IF NOT EXISTS people_full_name_fold_trgm_idx'
                ' ON public.people USING gin (public.esbmcp_fold('
                'coalesce(first_name, '''') || '' '' || coalesce(last_name, '''')) %s)',
                trgm_opclass);
            EXECUTE format(
                'CREATE INDEX IF NOT EXISTS artist_profiles_name_fold_trgm_idx'
                ' ON public.artist_profiles USING gin (public.esbmcp_fold(name) %s)',
                trgm_opclass);
            EXECUTE format(
                'CREATE INDEX IF NOT EXISTS cities_name_fold_trgm_idx'
                ' ON public.cities USING gin (public.esbmcp_fold(name) %s)', trgm_opclass);
            EXECUTE format(
                'CREATE INDEX IF NOT EXISTS email_logs_recipient_trgm_idx'
                ' ON public.email_logs USING gin (recipient %s)', trgm_opclass);
            mode := 'trigram';
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE NOTICE 'pg_trgm could not be created (%); using btree search indexes', SQLERRM;
        END;
    END IF;

    IF mode = 'btree_fallback' THEN
        RAISE NOTICE 'pg_trgm is not available: btree text_pattern_ops search indexes serve prefix searches only';
        CREATE INDEX IF NOT EXISTS people_email_lower_pattern_idx
            ON public.people (lower(email) text_pattern_ops);
        CREATE INDEX IF NOT EXISTS people_name_fold_pattern_idx
            ON public.people (public.esbmcp_fold(name) text_pattern_ops);
        CREATE INDEX IF NOT EXISTS people_full_name_fold_pattern_idx
            ON public.people (public.esbmcp_fold(
                coalesce(first_name, '') || ' ' || coalesce(last_name, '')) text_pattern_ops);
        CREATE INDEX IF NOT EXISTS artist_profiles_name_fold_pattern_idx
            ON public.artist_profiles (public.esbmcp_fold(name) text_pattern_ops);
        CREATE INDEX IF NOT EXISTS cities_name_fold_pattern_idx
            ON public.cities (public.esbmcp_fold(name) text_pattern_ops);
        CREATE INDEX IF NOT EXISTS email_logs_recipient_lower_pattern_idx
            ON public.email_logs (lower(recipient) text_pattern_ops);
    END IF;

    INSERT INTO public.demo_meta (key, value, updated_at)
    VALUES ('search_index_mode', to_jsonb(mode), now())
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at;
END
$$;
