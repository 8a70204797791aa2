-- Demo schema 080: the person_vote_weights materialized view, manual_refresh_vote_weights(),
-- refresh_vote_weights(), get_next_entry_id() and the updated_at triggers (schema.md §4.3, §5).
-- These triggers are the only ones in the demo: production derives rows through business
-- triggers, and the generator writes those rows itself.

-- One row per person with a non-empty phone. Created empty; 120 populates it after the load.
CREATE MATERIALIZED VIEW IF NOT EXISTS public.person_vote_weights AS
WITH vote_totals AS (
    SELECT person_id, count(*) AS past_votes_count
    FROM public.votes
    GROUP BY person_id
),
bid_totals AS (
    SELECT person_id, sum(amount) AS total_bid_amount
    FROM public.bids
    GROUP BY person_id
),
components AS (
    SELECT
        p.id AS person_id,
        p.phone,
        p.auth_phone,
        p.email,
        p.nickname,
        p.is_artist,
        coalesce(v.past_votes_count, 0)::bigint AS past_votes_count,
        coalesce(b.total_bid_amount, 0)::numeric AS total_bid_amount,
        1.00::numeric(4,2) AS base_weight,
        (CASE WHEN p.is_artist THEN 1.00 ELSE 0 END)::numeric(4,2) AS artist_bonus,
        least(0.1 * coalesce(v.past_votes_count, 0), 3.0)::numeric(4,2) AS vote_history_bonus,
        least(0.001 * coalesce(b.total_bid_amount, 0), 2.0)::numeric(4,2) AS bid_history_bonus
    FROM public.people p
    LEFT JOIN vote_totals v ON v.person_id = p.id
    LEFT JOIN bid_totals b ON b.person_id = p.id
    WHERE p.phone IS NOT NULL AND p.phone <> ''
)
SELECT
    person_id,
    phone,
    auth_phone,
    email,
    nickname,
    is_artist,
    past_votes_count,
    total_bid_amount,
    base_weight,
    artist_bonus,
    vote_history_bonus,
    bid_history_bonus,
    least(base_weight + artist_bonus + vote_history_bonus + bid_history_bonus, 6.00)::numeric(4,2)
        AS total_weight,
    now() AS last_calculated
FROM components
WITH NO DATA;

-- Required by REFRESH MATERIALIZED VIEW CONCURRENTLY.
CREATE UNIQUE INDEX IF NOT EXISTS person_vote_weights_person_id_key
    ON public.person_vote_weights (person_id);

-- The one database function the tools call. No arguments: the refresh is global, and a call
-- with an event id must fail with undefined_function as in production. Errors propagate.
CREATE OR REPLACE FUNCTION public.manual_refresh_vote_weights()
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    started_at timestamptz := clock_timestamp();
    is_populated boolean;
    view_rows bigint;
    elapsed interval;
    outcome text;
BEGIN
    SELECT c.relispopulated INTO is_populated
    FROM pg_catalog.pg_class c
    WHERE c.oid = 'public.person_vote_weights'::regclass;

    -- CONCURRENTLY is not allowed on a view that has never been populated.
    IF is_populated THEN
        REFRESH MATERIALIZED VIEW CONCURRENTLY public.person_vote_weights;
    ELSE
        REFRESH MATERIALIZED VIEW public.person_vote_weights;
    END IF;

    SELECT count(*) INTO view_rows FROM public.person_vote_weights;
    elapsed := clock_timestamp() - started_at;
    outcome := format('Vote weights refreshed successfully: %s rows in %s', view_rows, elapsed);

    INSERT INTO public.system_logs (service, operation, level, message, duration_ms, request_data)
    VALUES (
        'vote_weights',
        'refresh_materialized_view',
        'info',
        outcome,
        round(extract(epoch FROM elapsed) * 1000)::int,
        jsonb_build_object('rows', view_rows, 'concurrent', is_populated)
    );

    RETURN outcome;
END
$$;

-- The same refresh without logging, kept for parity with production's daily job.
CREATE OR REPLACE FUNCTION public.refresh_vote_weights()
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    IF (SELECT c.relispopulated FROM pg_catalog.pg_class c
        WHERE c.oid = 'public.person_vote_weights'::regclass) THEN
        REFRESH MATERIALIZED VIEW CONCURRENTLY public.person_vote_weights;
    ELSE
        REFRESH MATERIALIZED VIEW public.person_vote_weights;
    END IF;
END
$$;

REVOKE ALL ON FUNCTION public.manual_refresh_vote_weights() FROM PUBLIC, anon, authenticated;
REVOKE ALL ON FUNCTION public.refresh_vote_weights() FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.manual_refresh_vote_weights() TO service_role;
GRANT EXECUTE ON FUNCTION public.refresh_vote_weights() TO service_role;

CREATE OR REPLACE FUNCTION public.get_next_entry_id()
RETURNS int
LANGUAGE sql
AS $$
    SELECT nextval('public.artist_profiles_entry_id_seq')::int
$$;

ALTER TABLE public.artist_profiles
    ALTER COLUMN entry_id SET DEFAULT public.get_next_entry_id();

CREATE OR REPLACE FUNCTION public.set_updated_at()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER set_updated_at BEFORE UPDATE ON public.demo_meta
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE OR REPLACE TRIGGER set_updated_at BEFORE UPDATE ON public.venues
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE OR REPLACE TRIGGER set_updated_at BEFORE UPDATE ON public.people
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE OR REPLACE TRIGGER set_updated_at BEFORE UPDATE ON public.artist_profiles
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE OR REPLACE TRIGGER set_updated_at BEFORE UPDATE ON public.abhq_admin_users
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE OR REPLACE TRIGGER set_updated_at BEFORE UPDATE ON public.events
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE OR REPLACE TRIGGER set_updated_at BEFORE UPDATE ON public.rounds
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE OR REPLACE TRIGGER set_updated_at BEFORE UPDATE ON public.art
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE OR REPLACE TRIGGER set_updated_at BEFORE UPDATE ON public.votes
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE OR REPLACE TRIGGER set_updated_at BEFORE UPDATE ON public.artist_invitations
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE OR REPLACE TRIGGER set_updated_at BEFORE UPDATE ON public.artist_applications
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE OR REPLACE TRIGGER set_updated_at BEFORE UPDATE ON public.artist_stripe_accounts
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE OR REPLACE TRIGGER set_updated_at BEFORE UPDATE ON public.artist_global_payments
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE OR REPLACE TRIGGER set_updated_at BEFORE UPDATE ON public.artist_payments
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE OR REPLACE TRIGGER set_updated_at BEFORE UPDATE ON public.artist_manual_payment_requests
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE OR REPLACE TRIGGER set_updated_at BEFORE UPDATE ON public.payment_setup_invitations
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE OR REPLACE TRIGGER set_updated_at BEFORE UPDATE ON public.sms_marketing_templates
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE OR REPLACE TRIGGER set_updated_at BEFORE UPDATE ON public.sms_marketing_campaigns
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE OR REPLACE TRIGGER set_updated_at BEFORE UPDATE ON public.sms_outbound
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE OR REPLACE TRIGGER set_updated_at BEFORE UPDATE ON public.offers
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE OR REPLACE TRIGGER set_updated_at BEFORE UPDATE ON public.sponsorship_purchases
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
