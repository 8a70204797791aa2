-- Demo schema 060: ticketing and ads, eventbrite_api_cache, eventbrite_orders_cache,
-- meta_ads_cache_cron_log and ai_analysis_cache (schema.md §4.6).

-- Append-only, one row per fetch. fetched_at and expires_at are timestamp without time zone
-- holding UTC wall time, as in production.
CREATE TABLE IF NOT EXISTS public.eventbrite_api_cache (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id uuid REFERENCES public.events (id) ON DELETE CASCADE,
    eid varchar(50) NOT NULL,
    eventbrite_id varchar(255) NOT NULL,
    event_data jsonb NOT NULL DEFAULT '{}',
    ticket_classes jsonb NOT NULL DEFAULT '[]',
    sales_summary jsonb NOT NULL DEFAULT '{}',
    orders_summary jsonb DEFAULT '{}',
    total_tickets_sold int NOT NULL DEFAULT 0 CHECK (total_tickets_sold >= 0),
    gross_revenue numeric(10,2) DEFAULT 0 CHECK (gross_revenue >= 0),
    ticket_revenue numeric(10,2) DEFAULT 0 CHECK (ticket_revenue >= 0),
    taxes_collected numeric(10,2) DEFAULT 0 CHECK (taxes_collected >= 0),
    eventbrite_fees numeric(10,2) DEFAULT 0 CHECK (eventbrite_fees >= 0),
    payment_processing_fees numeric(10,2) DEFAULT 0 CHECK (payment_processing_fees >= 0),
    total_fees numeric(10,2) DEFAULT 0 CHECK (total_fees >= 0),
    net_deposit numeric(10,2) DEFAULT 0,
    total_capacity int,
    currency_code varchar(10),
    api_response_status varchar(50) NOT NULL,
    api_response_code int,
    api_error_message text,
    data_quality_score int,
    data_quality_flags jsonb DEFAULT '[]',
    fetched_at timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    expires_at timestamp without time zone NOT NULL,
    fetch_duration_ms int,
    is_stale boolean DEFAULT false,
    fetched_by varchar(100),
    fetch_reason varchar(50),
    api_version varchar(10) DEFAULT 'v3',
    eventbrite_event_name text,
    eventbrite_start_date timestamp without time zone,
    created_at timestamp without time zone DEFAULT (now() AT TIME ZONE 'UTC')
);

CREATE TABLE IF NOT EXISTS public.eventbrite_orders_cache (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    order_id varchar(50) NOT NULL UNIQUE,
    eid varchar(50),
    eventbrite_event_id varchar(255),
    order_created timestamptz,
    order_status varchar(20),
    gross numeric(10,2),
    eventbrite_fee numeric(10,2),
    payment_fee numeric(10,2),
    tax numeric(10,2),
    currency_code varchar(10),
    attendee_count int,
    raw_order jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- One global row per daily cron run, not per event.
CREATE TABLE IF NOT EXISTS public.meta_ads_cache_cron_log (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    executed_at timestamptz DEFAULT now(),
    status text,
    total_events int,
    successful int,
    failed int,
    skipped int,
    errors jsonb,
    duration_ms int,
    response jsonb
);

-- event_id is an EID string, not a uuid.
CREATE TABLE IF NOT EXISTS public.ai_analysis_cache (
    event_id text NOT NULL,
    analysis_type text NOT NULL,
    result jsonb NOT NULL,
    event_name text,
    served_count int DEFAULT 0,
    last_served_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz,
    PRIMARY KEY (event_id, analysis_type)
);
