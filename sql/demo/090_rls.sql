-- Demo schema 090: grants, row level security and the look-alike policies (schema.md §6).
-- check_rls_policies reads pg_policies and pg_class, so the demo reproduces production's mix:
-- tables with policies, tables with RLS and no policies, tables with RLS off (payment_reminders
-- is a deliberate finding) and permissive SELECT next to ALL policies. No table uses FORCE.
-- "Own" rows belong to a profile or person whose people.auth_user_id = auth.uid().
-- The tools connect as the owner or a BYPASSRLS role, so none of this filters their queries.

GRANT USAGE ON SCHEMA public, auth TO anon, authenticated, service_role;

-- service_role: everything on every demo table and sequence.
GRANT ALL ON TABLE
    public.abhq_admin_users,
    public.ai_analysis_cache,
    public.art,
    public.artist_applications,
    public.artist_confirmations,
    public.artist_global_payments,
    public.artist_invitations,
    public.artist_manual_payment_requests,
    public.artist_payments,
    public.artist_profiles,
    public.artist_stripe_accounts,
    public.bids,
    public.cities,
    public.countries,
    public.demo_meta,
    public.email_logs,
    public.endpoint_cache_versions,
    public.eventbrite_api_cache,
    public.eventbrite_orders_cache,
    public.events,
    public.exchange_rates,
    public.message_queue,
    public.meta_ads_cache_cron_log,
    public.offer_redemptions,
    public.offers,
    public.payment_reminders,
    public.payment_setup_invitations,
    public.people,
    public.people_qr_scans,
    public.qr_codes,
    public.round_contestants,
    public.rounds,
    public.slack_notifications,
    public.sms_inbound,
    public.sms_marketing_campaigns,
    public.sms_marketing_templates,
    public.sms_outbound,
    public.sponsorship_invites,
    public.sponsorship_purchases,
    public.system_logs,
    public.timezones,
    public.venues,
    public.vote_weights,
    public.votes,
    public.person_vote_weights,
    auth.users
TO service_role;
GRANT ALL ON SEQUENCE public.artist_profiles_entry_id_seq TO service_role;

-- anon and authenticated: SELECT on the tables with public-read policies.
GRANT SELECT ON TABLE
    public.art,
    public.artist_profiles,
    public.bids,
    public.cities,
    public.countries,
    public.endpoint_cache_versions,
    public.events,
    public.offers,
    public.qr_codes,
    public.round_contestants,
    public.rounds,
    public.sponsorship_invites,
    public.venues,
    public.vote_weights,
    public.votes
TO anon, authenticated;

-- authenticated: the commands of its own-row policies.
GRANT SELECT ON TABLE public.abhq_admin_users TO authenticated;
GRANT SELECT, INSERT ON TABLE public.artist_applications TO authenticated;
GRANT SELECT ON TABLE public.artist_confirmations TO authenticated;
GRANT SELECT ON TABLE public.artist_global_payments TO authenticated;
GRANT SELECT ON TABLE public.artist_invitations TO authenticated;
GRANT SELECT, INSERT ON TABLE public.artist_manual_payment_requests TO authenticated;
GRANT SELECT ON TABLE public.artist_payments TO authenticated;
GRANT SELECT ON TABLE public.artist_stripe_accounts TO authenticated;
GRANT SELECT ON TABLE public.eventbrite_api_cache TO authenticated;
GRANT SELECT ON TABLE public.offer_redemptions TO authenticated;
GRANT SELECT, UPDATE ON TABLE public.people TO authenticated;
GRANT SELECT ON TABLE public.people_qr_scans TO authenticated;

-- RLS off: payment_reminders is the deliberate defect check_rls_policies must report.
ALTER TABLE public.payment_reminders DISABLE ROW LEVEL SECURITY;
ALTER TABLE public.timezones DISABLE ROW LEVEL SECURITY;
ALTER TABLE public.demo_meta DISABLE ROW LEVEL SECURITY;

ALTER TABLE public.events ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.art ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.bids ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.votes ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.rounds ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.round_contestants ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.cities ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.countries ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.venues ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.artist_profiles ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.vote_weights ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.endpoint_cache_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.people ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.artist_invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.artist_confirmations ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.artist_applications ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.qr_codes ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.people_qr_scans ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.artist_stripe_accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.artist_global_payments ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.artist_payments ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.artist_manual_payment_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.eventbrite_api_cache ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.sms_marketing_campaigns ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.sms_inbound ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.sms_outbound ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.sms_marketing_templates ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.offers ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.offer_redemptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.sponsorship_invites ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.abhq_admin_users ENABLE ROW LEVEL SECURITY;
-- RLS on with no policies: service access only.
ALTER TABLE public.exchange_rates ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.payment_setup_invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.eventbrite_orders_cache ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.ai_analysis_cache ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.meta_ads_cache_cron_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.message_queue ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.email_logs ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.slack_notifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.system_logs ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.sponsorship_purchases ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS "Public read events" ON public.events;
CREATE POLICY "Public read events" ON public.events
    FOR SELECT TO anon, authenticated
    USING (enabled AND show_in_app);

DROP POLICY IF EXISTS "Public read art" ON public.art;
CREATE POLICY "Public read art" ON public.art
    FOR SELECT TO anon, authenticated
    USING (true);

DROP POLICY IF EXISTS "Public read bids" ON public.bids;
CREATE POLICY "Public read bids" ON public.bids
    FOR SELECT TO anon, authenticated
    USING (true);

DROP POLICY IF EXISTS "Public read votes" ON public.votes;
CREATE POLICY "Public read votes" ON public.votes
    FOR SELECT TO anon, authenticated
    USING (true);

DROP POLICY IF EXISTS "Public read rounds" ON public.rounds;
CREATE POLICY "Public read rounds" ON public.rounds
    FOR SELECT TO anon, authenticated
    USING (true);

DROP POLICY IF EXISTS "Public read round contestants" ON public.round_contestants;
CREATE POLICY "Public read round contestants" ON public.round_contestants
    FOR SELECT TO anon, authenticated
    USING (true);

DROP POLICY IF EXISTS "Public read cities" ON public.cities;
CREATE POLICY "Public read cities" ON public.cities
    FOR SELECT TO anon, authenticated
    USING (true);

DROP POLICY IF EXISTS "Public read countries" ON public.countries;
CREATE POLICY "Public read countries" ON public.countries
    FOR SELECT TO anon, authenticated
    USING (true);

DROP POLICY IF EXISTS "Public read venues" ON public.venues;
CREATE POLICY "Public read venues" ON public.venues
    FOR SELECT TO anon, authenticated
    USING (true);

DROP POLICY IF EXISTS "Public read artist profiles" ON public.artist_profiles;
CREATE POLICY "Public read artist profiles" ON public.artist_profiles
    FOR SELECT TO anon, authenticated
    USING (true);

DROP POLICY IF EXISTS "Public read vote weights" ON public.vote_weights;
CREATE POLICY "Public read vote weights" ON public.vote_weights
    FOR SELECT TO anon, authenticated
    USING (true);

DROP POLICY IF EXISTS "Public read endpoint cache versions" ON public.endpoint_cache_versions;
CREATE POLICY "Public read endpoint cache versions" ON public.endpoint_cache_versions
    FOR SELECT TO anon, authenticated
    USING (true);

DROP POLICY IF EXISTS "Users read own record" ON public.people;
CREATE POLICY "Users read own record" ON public.people
    FOR SELECT TO authenticated
    USING (auth_user_id = auth.uid());

DROP POLICY IF EXISTS "Users update own record" ON public.people;
CREATE POLICY "Users update own record" ON public.people
    FOR UPDATE TO authenticated
    USING (auth_user_id = auth.uid())
    WITH CHECK (auth_user_id = auth.uid());

DROP POLICY IF EXISTS "Artists read own invitations" ON public.artist_invitations;
CREATE POLICY "Artists read own invitations" ON public.artist_invitations
    FOR SELECT TO authenticated
    USING (artist_profile_id IN (
        SELECT ap.id FROM public.artist_profiles ap
        JOIN public.people p ON p.id = ap.person_id
        WHERE p.auth_user_id = auth.uid()
    ));

DROP POLICY IF EXISTS "Artists read own confirmations" ON public.artist_confirmations;
CREATE POLICY "Artists read own confirmations" ON public.artist_confirmations
    FOR SELECT TO authenticated
    USING (artist_profile_id IN (
        SELECT ap.id FROM public.artist_profiles ap
        JOIN public.people p ON p.id = ap.person_id
        WHERE p.auth_user_id = auth.uid()
    ));

DROP POLICY IF EXISTS "Artists read own applications" ON public.artist_applications;
CREATE POLICY "Artists read own applications" ON public.artist_applications
    FOR SELECT TO authenticated
    USING (artist_profile_id IN (
        SELECT ap.id FROM public.artist_profiles ap
        JOIN public.people p ON p.id = ap.person_id
        WHERE p.auth_user_id = auth.uid()
    ));

DROP POLICY IF EXISTS "Artists create own applications" ON public.artist_applications;
CREATE POLICY "Artists create own applications" ON public.artist_applications
    FOR INSERT TO authenticated
    WITH CHECK (artist_profile_id IN (
        SELECT ap.id FROM public.artist_profiles ap
        JOIN public.people p ON p.id = ap.person_id
        WHERE p.auth_user_id = auth.uid()
    ));

DROP POLICY IF EXISTS "Public read active qr codes" ON public.qr_codes;
CREATE POLICY "Public read active qr codes" ON public.qr_codes
    FOR SELECT TO anon, authenticated
    USING (is_active AND expires_at > now());

DROP POLICY IF EXISTS "Users read own scans" ON public.people_qr_scans;
CREATE POLICY "Users read own scans" ON public.people_qr_scans
    FOR SELECT TO authenticated
    USING (person_id IN (SELECT p.id FROM public.people p WHERE p.auth_user_id = auth.uid()));

DROP POLICY IF EXISTS "Artists read own payout account" ON public.artist_stripe_accounts;
CREATE POLICY "Artists read own payout account" ON public.artist_stripe_accounts
    FOR SELECT TO authenticated
    USING (artist_profile_id IN (
        SELECT ap.id FROM public.artist_profiles ap
        JOIN public.people p ON p.id = ap.person_id
        WHERE p.auth_user_id = auth.uid()
    ));

DROP POLICY IF EXISTS "Artists read own payout account" ON public.artist_global_payments;
CREATE POLICY "Artists read own payout account" ON public.artist_global_payments
    FOR SELECT TO authenticated
    USING (artist_profile_id IN (
        SELECT ap.id FROM public.artist_profiles ap
        JOIN public.people p ON p.id = ap.person_id
        WHERE p.auth_user_id = auth.uid()
    ));

DROP POLICY IF EXISTS "artists_own_payments" ON public.artist_payments;
CREATE POLICY "artists_own_payments" ON public.artist_payments
    FOR SELECT TO authenticated
    USING (artist_profile_id IN (
        SELECT ap.id FROM public.artist_profiles ap
        JOIN public.people p ON p.id = ap.person_id
        WHERE p.auth_user_id = auth.uid()
    ));

DROP POLICY IF EXISTS "admins_view_event_artist_payments" ON public.artist_payments;
CREATE POLICY "admins_view_event_artist_payments" ON public.artist_payments
    FOR SELECT TO authenticated
    USING ((auth.jwt() -> 'admin_events') ? (
        SELECT e.eid::text FROM public.art a
        JOIN public.events e ON e.id = a.event_id
        WHERE a.id = artist_payments.art_id
    ));

DROP POLICY IF EXISTS "Users can view their own manual payment requests" ON public.artist_manual_payment_requests;
CREATE POLICY "Users can view their own manual payment requests" ON public.artist_manual_payment_requests
    FOR SELECT TO authenticated
    USING (person_id IN (SELECT p.id FROM public.people p WHERE p.auth_user_id = auth.uid()));

DROP POLICY IF EXISTS "Users can create their own manual payment requests" ON public.artist_manual_payment_requests;
CREATE POLICY "Users can create their own manual payment requests" ON public.artist_manual_payment_requests
    FOR INSERT TO authenticated
    WITH CHECK (person_id IN (SELECT p.id FROM public.people p WHERE p.auth_user_id = auth.uid()));

DROP POLICY IF EXISTS "Admin read eventbrite cache" ON public.eventbrite_api_cache;
CREATE POLICY "Admin read eventbrite cache" ON public.eventbrite_api_cache
    FOR SELECT TO authenticated
    USING ((auth.jwt() -> 'admin_events') ? eid);

DROP POLICY IF EXISTS "Service role full access sms_marketing_campaigns" ON public.sms_marketing_campaigns;
CREATE POLICY "Service role full access sms_marketing_campaigns" ON public.sms_marketing_campaigns
    FOR ALL TO service_role
    USING (true)
    WITH CHECK (true);

DROP POLICY IF EXISTS "Service role full access sms_inbound" ON public.sms_inbound;
CREATE POLICY "Service role full access sms_inbound" ON public.sms_inbound
    FOR ALL TO service_role
    USING (true)
    WITH CHECK (true);

DROP POLICY IF EXISTS "Service role full access sms_outbound" ON public.sms_outbound;
CREATE POLICY "Service role full access sms_outbound" ON public.sms_outbound
    FOR ALL TO service_role
    USING (true)
    WITH CHECK (true);

DROP POLICY IF EXISTS "Service role full access sms_marketing_templates" ON public.sms_marketing_templates;
CREATE POLICY "Service role full access sms_marketing_templates" ON public.sms_marketing_templates
    FOR ALL TO service_role
    USING (true)
    WITH CHECK (true);

DROP POLICY IF EXISTS "Public read active offers" ON public.offers;
CREATE POLICY "Public read active offers" ON public.offers
    FOR SELECT TO anon, authenticated
    USING (active);

DROP POLICY IF EXISTS "Users read own redemptions" ON public.offer_redemptions;
CREATE POLICY "Users read own redemptions" ON public.offer_redemptions
    FOR SELECT TO authenticated
    USING (user_id IN (SELECT p.id FROM public.people p WHERE p.auth_user_id = auth.uid()));

DROP POLICY IF EXISTS "Public read sponsorship invites" ON public.sponsorship_invites;
CREATE POLICY "Public read sponsorship invites" ON public.sponsorship_invites
    FOR SELECT TO anon
    USING (valid_until IS NULL OR valid_until > now());

DROP POLICY IF EXISTS "Admins read own admin record" ON public.abhq_admin_users;
CREATE POLICY "Admins read own admin record" ON public.abhq_admin_users
    FOR SELECT TO authenticated
    USING (user_id = auth.uid());
