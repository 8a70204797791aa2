-- Demo schema 120: finishing the load, populate person_vote_weights, move the entry_id
-- sequence past the loaded artist numbers and refresh planner statistics (schema.md §1.5).

REFRESH MATERIALIZED VIEW public.person_vote_weights;

-- New artist numbers count up from 310000 (legacy profiles have lower numbers).
SELECT CASE
    WHEN max(entry_id) >= 310000
        THEN setval('public.artist_profiles_entry_id_seq', max(entry_id), true)
    ELSE setval('public.artist_profiles_entry_id_seq', 310000, false)
END
FROM public.artist_profiles;

ANALYZE public.countries, public.timezones, public.cities, public.venues, public.exchange_rates,
    public.people, public.artist_profiles, public.abhq_admin_users, public.events, public.rounds,
    public.art, public.round_contestants, public.bids, public.votes, public.vote_weights,
    public.person_vote_weights, public.endpoint_cache_versions, public.qr_codes,
    public.people_qr_scans, public.artist_invitations, public.artist_confirmations,
    public.artist_applications, public.artist_stripe_accounts, public.artist_global_payments,
    public.artist_payments, public.artist_manual_payment_requests,
    public.payment_setup_invitations, public.payment_reminders, public.eventbrite_api_cache,
    public.eventbrite_orders_cache, public.meta_ads_cache_cron_log, public.ai_analysis_cache,
    public.sms_marketing_templates, public.sms_marketing_campaigns, public.sms_outbound,
    public.sms_inbound, public.message_queue, public.offers, public.offer_redemptions,
    public.sponsorship_invites, public.sponsorship_purchases, public.slack_notifications,
    public.email_logs, public.system_logs, auth.users;
