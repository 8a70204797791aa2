-- Demo schema 100: the secondary btree indexes of schema.md §4, created after the bulk load so
-- that COPY does not maintain them. Keys and the "(pre)" indexes are created with the tables.

CREATE INDEX IF NOT EXISTS cities_country_id_idx ON public.cities (country_id);
CREATE INDEX IF NOT EXISTS venues_city_id_idx ON public.venues (city_id);

CREATE INDEX IF NOT EXISTS people_auth_user_id_idx ON public.people (auth_user_id);
CREATE INDEX IF NOT EXISTS people_superseded_by_idx ON public.people (superseded_by);
CREATE INDEX IF NOT EXISTS people_created_at_idx ON public.people (created_at);

CREATE INDEX IF NOT EXISTS artist_profiles_person_id_idx ON public.artist_profiles (person_id);
CREATE INDEX IF NOT EXISTS artist_profiles_superseded_by_idx
    ON public.artist_profiles (superseded_by);
CREATE INDEX IF NOT EXISTS artist_profiles_created_at_idx ON public.artist_profiles (created_at);
CREATE INDEX IF NOT EXISTS artist_profiles_phone_idx ON public.artist_profiles (phone);
CREATE INDEX IF NOT EXISTS artist_profiles_email_lower_idx
    ON public.artist_profiles (lower(email));

CREATE INDEX IF NOT EXISTS events_enabled_show_in_app_idx ON public.events (enabled, show_in_app);
CREATE INDEX IF NOT EXISTS events_event_start_datetime_idx ON public.events (event_start_datetime);
CREATE INDEX IF NOT EXISTS events_city_id_idx ON public.events (city_id);
CREATE INDEX IF NOT EXISTS events_venue_id_idx ON public.events (venue_id);
CREATE INDEX IF NOT EXISTS events_eventbrite_id_idx ON public.events (eventbrite_id)
    WHERE eventbrite_id IS NOT NULL;

CREATE INDEX IF NOT EXISTS art_artist_id_idx ON public.art (artist_id);
CREATE INDEX IF NOT EXISTS art_winner_id_idx ON public.art (winner_id);
CREATE INDEX IF NOT EXISTS art_event_id_status_idx ON public.art (event_id, status);

CREATE INDEX IF NOT EXISTS round_contestants_round_id_idx ON public.round_contestants (round_id);
CREATE INDEX IF NOT EXISTS round_contestants_artist_id_idx ON public.round_contestants (artist_id);
CREATE INDEX IF NOT EXISTS round_contestants_art_id_idx ON public.round_contestants (art_id);

CREATE INDEX IF NOT EXISTS bids_art_id_amount_idx ON public.bids (art_id, amount DESC);
CREATE INDEX IF NOT EXISTS bids_person_id_idx ON public.bids (person_id);
CREATE INDEX IF NOT EXISTS bids_created_at_idx ON public.bids (created_at);

CREATE INDEX IF NOT EXISTS votes_art_uuid_idx ON public.votes (art_uuid);
CREATE INDEX IF NOT EXISTS votes_person_id_idx ON public.votes (person_id);
CREATE INDEX IF NOT EXISTS votes_event_id_created_at_idx ON public.votes (event_id, created_at);

CREATE INDEX IF NOT EXISTS vote_weights_event_id_person_id_idx
    ON public.vote_weights (event_id, person_id);

CREATE INDEX IF NOT EXISTS person_vote_weights_phone_idx ON public.person_vote_weights (phone);
-- get_vote_weights reads max(last_calculated) (the view's freshness) from this index instead of
-- scanning the view; Art Battle's view has no such index, where the same value costs a scan.
CREATE INDEX IF NOT EXISTS person_vote_weights_last_calculated_idx
    ON public.person_vote_weights (last_calculated);

CREATE INDEX IF NOT EXISTS endpoint_cache_versions_event_eid_idx
    ON public.endpoint_cache_versions (event_eid);

CREATE INDEX IF NOT EXISTS qr_codes_event_id_idx ON public.qr_codes (event_id);

CREATE INDEX IF NOT EXISTS people_qr_scans_event_id_scan_timestamp_idx
    ON public.people_qr_scans (event_id, scan_timestamp DESC);
CREATE INDEX IF NOT EXISTS people_qr_scans_person_id_scan_timestamp_idx
    ON public.people_qr_scans (person_id, scan_timestamp DESC);
CREATE INDEX IF NOT EXISTS people_qr_scans_qr_code_idx ON public.people_qr_scans (qr_code);

CREATE INDEX IF NOT EXISTS artist_invitations_event_eid_status_idx
    ON public.artist_invitations (event_eid, status);
CREATE INDEX IF NOT EXISTS artist_invitations_artist_profile_id_idx
    ON public.artist_invitations (artist_profile_id);
CREATE INDEX IF NOT EXISTS artist_invitations_artist_number_event_eid_idx
    ON public.artist_invitations (artist_number, event_eid);

CREATE INDEX IF NOT EXISTS artist_confirmations_event_eid_status_idx
    ON public.artist_confirmations (event_eid, confirmation_status);
CREATE INDEX IF NOT EXISTS artist_confirmations_artist_profile_id_idx
    ON public.artist_confirmations (artist_profile_id);

CREATE INDEX IF NOT EXISTS artist_applications_event_eid_idx
    ON public.artist_applications (event_eid);
CREATE INDEX IF NOT EXISTS artist_applications_event_id_idx
    ON public.artist_applications (event_id);

CREATE INDEX IF NOT EXISTS artist_global_payments_artist_profile_id_idx
    ON public.artist_global_payments (artist_profile_id);
CREATE INDEX IF NOT EXISTS artist_global_payments_status_idx
    ON public.artist_global_payments (status);

CREATE INDEX IF NOT EXISTS artist_payments_artist_profile_id_currency_idx
    ON public.artist_payments (artist_profile_id, currency);
CREATE INDEX IF NOT EXISTS artist_payments_art_id_idx ON public.artist_payments (art_id);
CREATE INDEX IF NOT EXISTS artist_payments_status_created_at_idx
    ON public.artist_payments (status, created_at DESC);

CREATE INDEX IF NOT EXISTS artist_manual_payment_requests_events_referenced_idx
    ON public.artist_manual_payment_requests USING gin (events_referenced);
CREATE INDEX IF NOT EXISTS artist_manual_payment_requests_status_created_at_idx
    ON public.artist_manual_payment_requests (status, created_at DESC);

CREATE INDEX IF NOT EXISTS payment_setup_invitations_artist_profile_id_sent_at_idx
    ON public.payment_setup_invitations (artist_profile_id, sent_at DESC);
CREATE INDEX IF NOT EXISTS payment_setup_invitations_sent_at_idx
    ON public.payment_setup_invitations (sent_at);

CREATE INDEX IF NOT EXISTS payment_reminders_art_id_idx ON public.payment_reminders (art_id);
CREATE INDEX IF NOT EXISTS payment_reminders_created_at_idx
    ON public.payment_reminders (created_at);

CREATE INDEX IF NOT EXISTS eventbrite_api_cache_eventbrite_id_fetched_at_idx
    ON public.eventbrite_api_cache (eventbrite_id, fetched_at DESC);
CREATE INDEX IF NOT EXISTS eventbrite_api_cache_event_id_fetched_at_idx
    ON public.eventbrite_api_cache (event_id, fetched_at DESC);
CREATE INDEX IF NOT EXISTS eventbrite_api_cache_eid_fetched_at_idx
    ON public.eventbrite_api_cache (eid, fetched_at DESC);

CREATE INDEX IF NOT EXISTS eventbrite_orders_cache_eid_idx ON public.eventbrite_orders_cache (eid);
CREATE INDEX IF NOT EXISTS eventbrite_orders_cache_eventbrite_event_id_idx
    ON public.eventbrite_orders_cache (eventbrite_event_id);

CREATE INDEX IF NOT EXISTS meta_ads_cache_cron_log_executed_at_idx
    ON public.meta_ads_cache_cron_log (executed_at DESC);

CREATE INDEX IF NOT EXISTS sms_marketing_campaigns_event_id_idx
    ON public.sms_marketing_campaigns (event_id);
CREATE INDEX IF NOT EXISTS sms_marketing_campaigns_status_created_at_idx
    ON public.sms_marketing_campaigns (status, created_at DESC);
CREATE INDEX IF NOT EXISTS sms_marketing_campaigns_created_at_idx
    ON public.sms_marketing_campaigns (created_at);

CREATE INDEX IF NOT EXISTS sms_outbound_to_phone_sent_at_idx
    ON public.sms_outbound (to_phone, sent_at DESC);
CREATE INDEX IF NOT EXISTS sms_outbound_campaign_id_idx ON public.sms_outbound (campaign_id);
CREATE INDEX IF NOT EXISTS sms_outbound_status_created_at_idx
    ON public.sms_outbound (status, created_at DESC);

CREATE INDEX IF NOT EXISTS sms_inbound_from_phone_created_at_idx
    ON public.sms_inbound (from_phone, created_at DESC);

CREATE INDEX IF NOT EXISTS message_queue_status_send_after_idx
    ON public.message_queue (status, send_after);
CREATE INDEX IF NOT EXISTS message_queue_created_at_idx ON public.message_queue (created_at);
CREATE INDEX IF NOT EXISTS message_queue_metadata_event_id_idx
    ON public.message_queue ((metadata ->> 'event_id'));

CREATE INDEX IF NOT EXISTS offers_active_end_date_idx ON public.offers (active, end_date);
CREATE INDEX IF NOT EXISTS offer_redemptions_offer_id_idx ON public.offer_redemptions (offer_id);
CREATE INDEX IF NOT EXISTS sponsorship_invites_event_id_idx ON public.sponsorship_invites (event_id);
CREATE INDEX IF NOT EXISTS sponsorship_purchases_event_id_idx
    ON public.sponsorship_purchases (event_id);

CREATE INDEX IF NOT EXISTS slack_notifications_pending_created_at_idx
    ON public.slack_notifications (created_at)
    WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS slack_notifications_status_created_at_idx
    ON public.slack_notifications (status, created_at DESC);
CREATE INDEX IF NOT EXISTS slack_notifications_event_id_idx
    ON public.slack_notifications (event_id);

CREATE INDEX IF NOT EXISTS email_logs_created_at_idx ON public.email_logs (created_at DESC);
CREATE INDEX IF NOT EXISTS email_logs_status_created_at_idx
    ON public.email_logs (status, created_at DESC);
CREATE INDEX IF NOT EXISTS email_logs_event_id_idx ON public.email_logs (event_id);

CREATE INDEX IF NOT EXISTS system_logs_service_created_at_idx
    ON public.system_logs (service, created_at DESC);
CREATE INDEX IF NOT EXISTS system_logs_created_at_idx ON public.system_logs (created_at);

-- Phone keys (tools.md §1.2): tools compare public.esbmcp_phone_key(column) with a bound key, so
-- phone searches are index lookups. The function comes from the esbmcp_ track (sql/003), which
-- the loader applies before the demo files.
CREATE INDEX IF NOT EXISTS people_phone_key_idx
    ON public.people (public.esbmcp_phone_key(phone));
CREATE INDEX IF NOT EXISTS artist_profiles_phone_key_idx
    ON public.artist_profiles (public.esbmcp_phone_key(phone));
CREATE INDEX IF NOT EXISTS sms_outbound_to_phone_key_idx
    ON public.sms_outbound (public.esbmcp_phone_key(to_phone));
CREATE INDEX IF NOT EXISTS sms_inbound_from_phone_key_idx
    ON public.sms_inbound (public.esbmcp_phone_key(from_phone));

-- Email keys (tools.md §4.1: lower(trim()) of an email): find_duplicate_profiles looks up the
-- profiles that share a key by this exact expression. Without these indexes (Art Battle's
-- database has only lower(email)) the lookup still returns the same rows, by sequential scan.
CREATE INDEX IF NOT EXISTS people_email_key_idx ON public.people (lower(btrim(email)));
CREATE INDEX IF NOT EXISTS artist_profiles_email_key_idx
    ON public.artist_profiles (lower(btrim(email)));
