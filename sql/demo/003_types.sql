-- Demo schema 003: the enums the tools rely on, values in production order (schema.md §2.3).
-- PostgreSQL 15 has no CREATE TYPE IF NOT EXISTS, so each type is created only when missing.

DO $$
BEGIN
    IF to_regtype('public.event_level_type') IS NULL THEN
        CREATE TYPE public.event_level_type AS ENUM (
            'REGULAR', 'CHAMPION_CITY', 'CHAMPION_NATIONAL', 'PRIVATE', 'SPECIAL'
        );
    END IF;

    IF to_regtype('public.art_status') IS NULL THEN
        CREATE TYPE public.art_status AS ENUM (
            'inactive', 'active', 'closed', 'sold', 'cancelled', 'paid'
        );
    END IF;

    IF to_regtype('public.invitation_status') IS NULL THEN
        CREATE TYPE public.invitation_status AS ENUM (
            'pending', 'accepted', 'declined', 'withdrawn', 'expired'
        );
    END IF;

    IF to_regtype('public.message_status') IS NULL THEN
        CREATE TYPE public.message_status AS ENUM (
            'pending', 'processing', 'sent', 'failed'
        );
    END IF;
END
$$;
