-- Demo schema 050: payments, artist_stripe_accounts, artist_global_payments, artist_payments,
-- artist_manual_payment_requests, payment_setup_invitations and payment_reminders
-- (schema.md §4.5). There is no 'completed' artist-payment status.

CREATE TABLE IF NOT EXISTS public.artist_stripe_accounts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    artist_profile_id uuid NOT NULL UNIQUE
        REFERENCES public.artist_profiles (id) ON DELETE CASCADE,
    stripe_account_id text UNIQUE,
    stripe_account_type text CHECK (stripe_account_type IN ('standard', 'express', 'custom')),
    onboarding_status text DEFAULT 'not_started'
        CHECK (onboarding_status IN ('not_started', 'pending', 'completed', 'restricted', 'rejected')),
    charges_enabled boolean DEFAULT false,
    payouts_enabled boolean DEFAULT false,
    details_submitted boolean DEFAULT false,
    country text,
    currency text,
    business_type text,
    onboarding_url text,
    onboarding_url_expires_at timestamptz,
    metadata jsonb DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- The current payout-account table: an artist can be paid when status is 'ready' with a
-- stripe_recipient_id.
CREATE TABLE IF NOT EXISTS public.artist_global_payments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    artist_profile_id uuid NOT NULL REFERENCES public.artist_profiles (id),
    stripe_recipient_id text UNIQUE,
    legacy_stripe_connect_account_id text,
    status text DEFAULT 'invited'
        CHECK (status IN ('invited', 'in_review', 'ready', 'blocked', 'rejected')),
    country char(2) NOT NULL,
    default_currency char(3) NOT NULL DEFAULT 'USD',
    onboarding_url text,
    onboarding_url_expires_at timestamptz,
    migration_completed_at timestamptz,
    metadata jsonb DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Payouts to artists. gross_amount is the amount paid; art_id is NULL on manual rows and a
-- representative artwork on automated ones.
CREATE TABLE IF NOT EXISTS public.artist_payments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    artist_profile_id uuid NOT NULL REFERENCES public.artist_profiles (id) ON DELETE CASCADE,
    art_id uuid REFERENCES public.art (id),
    gross_amount numeric(10,2) NOT NULL,
    platform_fee numeric(10,2) NOT NULL DEFAULT 0,
    stripe_fee numeric(10,2) NOT NULL DEFAULT 0,
    net_amount numeric(10,2) NOT NULL,
    currency varchar(3) NOT NULL,
    status text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'processing', 'paid', 'verified', 'failed', 'cancelled')),
    stripe_transfer_id text,
    stripe_payout_id text,
    payment_type varchar(20) NOT NULL DEFAULT 'automated'
        CHECK (payment_type IN ('automated', 'manual')),
    payment_method varchar(50),
    description text,
    reference varchar(100),
    created_by varchar(100),
    reason_category varchar(50)
        CHECK (reason_category IS NULL OR reason_category IN (
            'prize', 'private_event', 'supplies_reimbursement', 'adjustment', 'other'
        )),
    webhook_confirmed_at timestamptz,
    verification_metadata jsonb,
    metadata jsonb DEFAULT '{}',
    error_message text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    paid_at timestamptz,
    CONSTRAINT artist_payments_manual_fields_check CHECK (
        payment_type <> 'manual'
        OR (
            payment_method IN ('bank_transfer', 'check', 'cash', 'paypal', 'other')
            AND description IS NOT NULL
            AND created_by IS NOT NULL
        )
    )
);

CREATE TABLE IF NOT EXISTS public.artist_manual_payment_requests (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    artist_profile_id uuid NOT NULL REFERENCES public.artist_profiles (id),
    person_id uuid NOT NULL REFERENCES public.people (id),
    payment_method varchar(50),
    payment_details text NOT NULL,
    country_code varchar(3),
    preferred_currency varchar(3),
    status varchar(50) DEFAULT 'pending',
    admin_notes text,
    processed_by uuid REFERENCES public.people (id),
    processed_at timestamptz,
    requested_amount numeric(10,2),
    events_referenced text[],
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX IF NOT EXISTS artist_manual_payment_requests_pending_key
    ON public.artist_manual_payment_requests (artist_profile_id)
    WHERE status = 'pending';

-- Invitations asking artists to set up a payout account; there is no event column.
CREATE TABLE IF NOT EXISTS public.payment_setup_invitations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    artist_profile_id uuid NOT NULL REFERENCES public.artist_profiles (id),
    invitation_method varchar(20) NOT NULL CHECK (invitation_method IN ('email', 'sms', 'both')),
    recipient_email varchar(255),
    recipient_phone varchar(50),
    sent_by varchar(100) NOT NULL,
    sent_at timestamptz DEFAULT now(),
    status varchar(20) DEFAULT 'sent'
        CHECK (status IN ('sent', 'delivered', 'failed', 'opened', 'clicked')),
    invitation_type varchar(30) DEFAULT 'payment_setup'
        CHECK (invitation_type IN ('payment_setup', 'reminder', 'follow_up')),
    message_content text,
    delivery_metadata jsonb,
    error_message text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Reminders to buyers who won a work and have not paid. RLS stays off on purpose (090).
CREATE TABLE IF NOT EXISTS public.payment_reminders (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    art_id uuid NOT NULL REFERENCES public.art (id),
    event_id uuid REFERENCES public.events (id),
    person_id uuid REFERENCES public.people (id),
    admin_user_id uuid,
    admin_note text,
    reminder_type text NOT NULL DEFAULT 'sms',
    message_body text,
    sms_status text,
    sent_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
