-- Demo schema 020: people, artist_profiles, abhq_admin_users and the entry_id sequence
-- (schema.md §4.2). entry_id gets its default, get_next_entry_id(), in 080 with the functions.

CREATE TABLE IF NOT EXISTS public.people (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text,
    phone varchar(20) UNIQUE,
    phone_number text,
    auth_phone text,
    name text,
    first_name varchar(100),
    last_name varchar(100),
    nickname text,
    hash varchar(100) UNIQUE,
    type text DEFAULT 'guest',
    auth_user_id uuid REFERENCES auth.users (id),
    is_artist boolean NOT NULL DEFAULT false,
    superseded_by uuid REFERENCES public.people (id),
    verified boolean DEFAULT false,
    message_blocked int DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Production's email is citext; the demo keeps text with a case-insensitive unique index.
CREATE UNIQUE INDEX IF NOT EXISTS people_email_lower_key ON public.people (lower(email));

CREATE SEQUENCE IF NOT EXISTS public.artist_profiles_entry_id_seq AS integer START WITH 310000;

CREATE TABLE IF NOT EXISTS public.artist_profiles (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entry_id integer NOT NULL UNIQUE,
    name varchar(255),
    person_id uuid REFERENCES public.people (id),
    bio text,
    abhq_bio text,
    country text,
    city text,
    city_id uuid REFERENCES public.cities (id),
    email text,
    phone text,
    instagram text,
    website text,
    superseded_by uuid REFERENCES public.artist_profiles (id),
    is_duplicate boolean DEFAULT false,
    set_primary_profile_at timestamp without time zone,
    manual_payment_override boolean NOT NULL DEFAULT false,
    aliases jsonb NOT NULL DEFAULT '[]',
    pronouns varchar(100),
    followers_count int DEFAULT 0,
    votes_count int DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

ALTER SEQUENCE public.artist_profiles_entry_id_seq OWNED BY public.artist_profiles.entry_id;

CREATE TABLE IF NOT EXISTS public.abhq_admin_users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid REFERENCES auth.users (id),
    email text NOT NULL,
    level text NOT NULL,
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX IF NOT EXISTS abhq_admin_users_email_lower_key
    ON public.abhq_admin_users (lower(email));
