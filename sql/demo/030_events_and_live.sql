-- Demo schema 030: events and the live competition, rounds, art, round_contestants, bids,
-- votes, vote_weights, endpoint_cache_versions, qr_codes and people_qr_scans (schema.md §4.3).
-- Naming traps kept on purpose (schema.md §3): votes.art_uuid is the join key to art while
-- votes.art_id is the art code text; bids.art_id is the art uuid; art.artist_id references
-- artist_profiles and art.winner_id references people.

CREATE TABLE IF NOT EXISTS public.events (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    eid varchar(50) NOT NULL UNIQUE,
    name text,
    description text,
    venue text,
    venue_id uuid REFERENCES public.venues (id) ON DELETE SET NULL,
    city_id uuid REFERENCES public.cities (id),
    country_id uuid REFERENCES public.countries (id),
    event_start_datetime timestamptz,
    event_end_datetime timestamptz,
    timezone_icann varchar(50),
    timezone_id uuid REFERENCES public.timezones (id),
    timezone_offset varchar(10),
    enabled boolean DEFAULT false,
    show_in_app boolean DEFAULT false,
    current_round int DEFAULT 0,
    expected_number_of_rounds int DEFAULT 3,
    currency varchar(3) DEFAULT 'USD',
    capacity int DEFAULT 200,
    eventbrite_id varchar(255),
    event_level public.event_level_type NOT NULL DEFAULT 'REGULAR',
    meta_ads_budget numeric(10,2),
    other_ads_budget numeric(10,2),
    artist_auction_portion numeric(3,2) NOT NULL DEFAULT 0.50
        CHECK (artist_auction_portion >= 0 AND artist_auction_portion <= 1),
    enable_auction boolean DEFAULT true,
    auction_start_bid numeric(10,2) DEFAULT 50,
    min_bid_increment numeric(10,2) DEFAULT 5,
    tax numeric(5,2),
    auction_close_starts_at timestamptz,
    auction_close_round_delay int,
    stripe_account_region text DEFAULT 'international'
        CHECK (stripe_account_region IN ('canada', 'international')),
    ticket_link text,
    slack_channel text,
    door_time time without time zone,
    showtime time without time zone,
    paint_time time without time zone,
    applications_open boolean DEFAULT false,
    target_artists_booked int,
    winner_prize numeric(10,2),
    winner_prize_currency varchar(3),
    advances_to_event_eid varchar(50),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS public.rounds (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id uuid NOT NULL REFERENCES public.events (id),
    round_number int NOT NULL,
    is_finished boolean NOT NULL DEFAULT false,
    video_url text,
    closing_time timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (event_id, round_number)
);

CREATE TABLE IF NOT EXISTS public.art (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    art_code varchar(50) NOT NULL UNIQUE,
    event_id uuid NOT NULL REFERENCES public.events (id),
    artist_id uuid REFERENCES public.artist_profiles (id),
    round int NOT NULL,
    easel int NOT NULL,
    status public.art_status NOT NULL DEFAULT 'active',
    starting_bid numeric(10,2) DEFAULT 50,
    current_bid numeric(10,2) DEFAULT 50,
    bid_count int NOT NULL DEFAULT 0,
    vote_count int NOT NULL DEFAULT 0,
    winner_id uuid CONSTRAINT art_winner_id_fkey REFERENCES public.people (id),
    closing_time timestamptz,
    auction_extended boolean NOT NULL DEFAULT false,
    extension_count int NOT NULL DEFAULT 0,
    final_price numeric(10,2),
    title text,
    description text,
    buyer_pay_recent_date timestamptz,
    buyer_pay_recent_person_id uuid REFERENCES public.people (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (event_id, round, easel)
);

CREATE TABLE IF NOT EXISTS public.round_contestants (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    round_id uuid NOT NULL REFERENCES public.rounds (id),
    artist_id uuid REFERENCES public.artist_profiles (id),
    easel_number int,
    is_winner int NOT NULL DEFAULT 0,
    enabled boolean DEFAULT true,
    art_id uuid REFERENCES public.art (id),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX IF NOT EXISTS round_contestants_round_id_easel_number_key
    ON public.round_contestants (round_id, easel_number)
    WHERE easel_number IS NOT NULL;

CREATE TABLE IF NOT EXISTS public.bids (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    art_id uuid NOT NULL REFERENCES public.art (id),
    person_id uuid NOT NULL REFERENCES public.people (id),
    amount numeric(10,2) NOT NULL,
    currency_code varchar(3),
    currency_symbol varchar(5),
    ip_address inet,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS public.votes (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id uuid NOT NULL REFERENCES public.events (id),
    eid varchar(50),
    round int NOT NULL,
    easel int,
    art_id varchar(50),
    art_uuid uuid REFERENCES public.art (id),
    artist_profile_id uuid,
    person_id uuid NOT NULL REFERENCES public.people (id),
    vote_factor numeric(4,2) NOT NULL DEFAULT 1.00,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (event_id, round, person_id)
);

-- Legacy and empty: real weights are votes.vote_factor and person_vote_weights.
CREATE TABLE IF NOT EXISTS public.vote_weights (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id uuid REFERENCES public.events (id),
    person_id uuid REFERENCES public.people (id),
    vote_factor numeric(4,2),
    vote_factor_info jsonb,
    phone_number text,
    from_source text,
    status text,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS public.endpoint_cache_versions (
    endpoint_path varchar(255) PRIMARY KEY,
    last_updated timestamptz NOT NULL DEFAULT now(),
    event_eid varchar(50)
);

CREATE TABLE IF NOT EXISTS public.qr_codes (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    code text NOT NULL UNIQUE,
    event_id uuid NOT NULL REFERENCES public.events (id) ON DELETE CASCADE,
    generated_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- qr_code holds the code string with no foreign key: codes are deleted about an hour after
-- generation while their scans stay.
CREATE TABLE IF NOT EXISTS public.people_qr_scans (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    person_id uuid NOT NULL REFERENCES public.people (id),
    event_id uuid NOT NULL REFERENCES public.events (id),
    qr_code text NOT NULL,
    scan_timestamp timestamptz NOT NULL DEFAULT now(),
    ip_address text,
    user_agent text,
    location_data jsonb,
    is_valid boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX IF NOT EXISTS people_qr_scans_person_id_event_id_valid_key
    ON public.people_qr_scans (person_id, event_id)
    WHERE is_valid;
