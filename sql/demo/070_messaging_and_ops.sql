-- Demo schema 070: messaging, marketing and operations tables (schema.md §4.7, §4.8).
-- message_queue has no campaign_id and no event_id (the event is in metadata->>'event_id');
-- offers and sms_marketing_campaigns.event_id have no foreign key to events, as in production.

CREATE TABLE IF NOT EXISTS public.sms_marketing_templates (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    message_template text NOT NULL,
    category text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS public.sms_marketing_campaigns (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    description text,
    template_id uuid REFERENCES public.sms_marketing_templates (id),
    status text DEFAULT 'draft',
    recipient_list jsonb,
    total_recipients int,
    messages_sent int DEFAULT 0,
    messages_delivered int DEFAULT 0,
    messages_failed int DEFAULT 0,
    replies_received int DEFAULT 0,
    opt_outs int DEFAULT 0,
    scheduled_at timestamptz,
    started_at timestamptz,
    completed_at timestamptz,
    created_by uuid,
    metadata jsonb,
    targeting_criteria jsonb DEFAULT '{}',
    total_cost_cents int DEFAULT 0,
    event_id uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS public.sms_outbound (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    telnyx_message_id text,
    campaign_id uuid REFERENCES public.sms_marketing_campaigns (id) ON DELETE SET NULL,
    template_id uuid,
    to_phone text NOT NULL,
    from_phone text NOT NULL,
    message_body text NOT NULL,
    character_count int,
    message_parts int DEFAULT 1,
    status text DEFAULT 'pending',
    telnyx_status text,
    cost_cents int,
    error_message text,
    metadata jsonb,
    sent_at timestamptz,
    delivered_at timestamptz,
    failed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS public.sms_inbound (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    telnyx_message_id text UNIQUE,
    from_phone text NOT NULL,
    to_phone text NOT NULL,
    message_body text NOT NULL,
    character_count int,
    direction text DEFAULT 'inbound',
    telnyx_data jsonb,
    is_stop_request boolean DEFAULT false,
    is_help_request boolean DEFAULT false,
    auto_replied boolean DEFAULT false,
    processed boolean DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS public.message_queue (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    channel text NOT NULL,
    destination text NOT NULL,
    message_body text,
    metadata jsonb NOT NULL DEFAULT '{}',
    status public.message_status NOT NULL DEFAULT 'pending',
    priority int DEFAULT 0,
    send_after timestamptz DEFAULT now(),
    send_immediately boolean DEFAULT false,
    from_phone text,
    retry_count int DEFAULT 0,
    error_message text,
    person_id uuid REFERENCES public.people (id),
    sent_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS public.offers (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    description text,
    terms text,
    type text,
    value numeric(10,2),
    currency varchar(3) DEFAULT 'CAD',
    geography_scope text[] DEFAULT '{}',
    min_recency_score int,
    max_recency_score int,
    min_frequency_score int,
    max_frequency_score int,
    min_monetary_score int,
    max_monetary_score int,
    total_inventory int,
    redeemed_count int DEFAULT 0,
    active boolean DEFAULT true,
    start_date timestamptz,
    end_date timestamptz,
    display_order int DEFAULT 0,
    redemption_link text,
    redemption_message text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS public.offer_redemptions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    offer_id uuid NOT NULL REFERENCES public.offers (id),
    user_id uuid REFERENCES public.people (id),
    user_email text,
    redemption_code text,
    status text DEFAULT 'redeemed',
    metadata jsonb,
    redeemed_at timestamptz DEFAULT now(),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS public.sponsorship_invites (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id uuid NOT NULL REFERENCES public.events (id),
    hash varchar(16) NOT NULL UNIQUE,
    prospect_name text,
    prospect_email text,
    prospect_company text,
    discount_percent numeric(5,2) CHECK (discount_percent >= 0 AND discount_percent <= 100),
    valid_until timestamptz,
    max_uses int DEFAULT 1,
    use_count int DEFAULT 0,
    notes text,
    created_by text,
    skip_multi_event boolean DEFAULT false,
    last_viewed_at timestamptz,
    view_count int DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS public.sponsorship_purchases (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id uuid NOT NULL REFERENCES public.events (id),
    invite_id uuid REFERENCES public.sponsorship_invites (id),
    stripe_payment_intent_id text UNIQUE,
    stripe_checkout_session_id text,
    buyer_name text NOT NULL,
    buyer_email text NOT NULL,
    buyer_company text,
    buyer_phone text,
    main_package_id uuid,
    addon_package_ids uuid[],
    package_details jsonb,
    subtotal numeric(10,2) NOT NULL,
    discount_percent numeric(5,2),
    discount_amount numeric(10,2),
    tax_amount numeric(10,2),
    total_amount numeric(10,2) NOT NULL,
    currency varchar(3) DEFAULT 'USD',
    payment_status text DEFAULT 'pending',
    fulfillment_status text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    paid_at timestamptz
);

-- Art Battle's own outgoing Slack queue, unrelated to the assistant.
CREATE TABLE IF NOT EXISTS public.slack_notifications (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id uuid REFERENCES public.events (id),
    channel_id varchar(100),
    message_type varchar(50) NOT NULL,
    payload jsonb NOT NULL,
    status varchar(20) DEFAULT 'pending',
    attempts int DEFAULT 0,
    last_attempt_at timestamptz,
    sent_at timestamptz,
    error text,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS public.email_logs (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    recipient text NOT NULL,
    sender text,
    subject text,
    status text NOT NULL,
    method text,
    error_message text,
    event_id uuid REFERENCES public.events (id),
    sent_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS public.system_logs (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    service text NOT NULL,
    operation text NOT NULL,
    level text NOT NULL DEFAULT 'info',
    message text,
    duration_ms int,
    request_data jsonb,
    error_details jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
);
