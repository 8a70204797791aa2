-- Demo schema 040: the artist pipeline, artist_invitations, artist_confirmations and
-- artist_applications (schema.md §4.4). event_eid holds the EID with no foreign key, as in
-- production; (artist_number, event_eid) on invitations is deliberately not unique.

CREATE TABLE IF NOT EXISTS public.artist_invitations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    artist_number text NOT NULL,
    event_eid varchar(50) NOT NULL,
    artist_profile_id uuid REFERENCES public.artist_profiles (id),
    status public.invitation_status NOT NULL DEFAULT 'pending',
    status_old text,
    message_from_producer text,
    accepted_at timestamptz,
    entry_date timestamptz,
    metadata jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS public.artist_confirmations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    artist_profile_id uuid REFERENCES public.artist_profiles (id),
    event_eid varchar(50) NOT NULL,
    artist_number text,
    confirmation_status text NOT NULL DEFAULT 'confirmed',
    entry_date timestamptz,
    legal_name text,
    message_to_organizers text,
    public_message text,
    payment_method text,
    payment_details jsonb,
    legal_agreements jsonb,
    social_usernames jsonb,
    metadata jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS public.artist_applications (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    artist_profile_id uuid NOT NULL REFERENCES public.artist_profiles (id),
    event_id uuid NOT NULL REFERENCES public.events (id),
    event_eid varchar(50),
    artist_number text,
    application_status text NOT NULL DEFAULT 'pending'
        CHECK (application_status IN ('pending', 'accepted', 'rejected', 'withdrawn')),
    applied_at timestamptz DEFAULT now(),
    message_to_producer text,
    notes text,
    metadata jsonb DEFAULT '{}',
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (artist_profile_id, event_id)
);
