-- Demo schema 010: reference data, countries, timezones, cities, venues and exchange_rates
-- (schema.md §4.1).

CREATE TABLE IF NOT EXISTS public.countries (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    code varchar(2) NOT NULL UNIQUE,
    currency_code varchar(3) NOT NULL,
    currency_symbol varchar(5),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS public.timezones (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    timezone_offset varchar(10),
    icann varchar(50) NOT NULL UNIQUE
);

CREATE TABLE IF NOT EXISTS public.cities (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name varchar(255) NOT NULL,
    country_id uuid REFERENCES public.countries (id),
    state_province text,
    timezone_id uuid REFERENCES public.timezones (id),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS public.venues (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    address text,
    notes text,
    city_id uuid REFERENCES public.cities (id) ON DELETE SET NULL,
    default_capacity int DEFAULT 200,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- rate_to_usd is the USD value of one unit of the currency: amount_in_usd = amount * rate_to_usd.
CREATE TABLE IF NOT EXISTS public.exchange_rates (
    currency_code char(3) PRIMARY KEY,
    rate_to_usd numeric(12,6) NOT NULL,
    last_updated timestamptz DEFAULT now(),
    source text DEFAULT 'exchangerate-api.io'
);
