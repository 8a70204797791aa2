SET lock_timeout = '5s';
-- The file is UTF-8 (esbmcp_fold below); the skip notices of a re-run are noise.
SET client_encoding = 'UTF8';
SET client_min_messages = warning;

-- 001: the esbmcp_ record tables, the shared operational state, esbmcp_fold, reconciliation of
-- older shapes, indexes, row level security, revokes and comments (observability.md §2, §5, §8).
-- Idempotent: every statement is a no-op on a database this file has already shaped.

-- ---------------------------------------------------------------------------------------------
-- esbmcp_fold: lower-case and accent folding with core functions only (observability.md §5.1)
-- ---------------------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION public.esbmcp_fold(value text)
RETURNS text
LANGUAGE sql
IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT lower(
    replace(replace(replace(replace(replace(
      translate(value,
        'ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝàáâãäåçèéêëìíîïðñòóôõöøùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĐđĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĦħĨĩĪīĬĭĮįİıĴĵĶķĹĺĻļĽľĿŀŁłŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŦŧŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſȘșȚț',
        'AAAAAACEEEEIIIIDNOOOOOOUUUUYaaaaaaceeeeiiiidnoooooouuuuyyAaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiJjKkLlLlLlLlLlNnNnNnOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzsSsTt'),
      'ß', 'ss'), 'Æ', 'AE'), 'æ', 'ae'), 'Œ', 'OE'), 'œ', 'oe'))
$$;

-- It reads no table; the tools' read-only role and the demo's search indexes use it.
GRANT EXECUTE ON FUNCTION public.esbmcp_fold(text) TO PUBLIC;

-- ---------------------------------------------------------------------------------------------
-- Record tables (§2.1-2.5). Named CHECK constraints are added further down, from one list that
-- serves new and older tables alike.
-- ---------------------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.esbmcp_chat_sessions (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    request_id text NOT NULL,
    slack_event_id text,
    slack_team_id text,
    slack_channel_id text,
    slack_thread_ts text,
    reply_ts text,
    slack_user_id text NOT NULL,
    slack_username text,
    user_role text,
    interaction_type text NOT NULL DEFAULT 'app_mention',
    user_prompt text NOT NULL,
    ai_model text,
    ai_system_prompt_hash text,
    ai_response text,
    tools_called jsonb NOT NULL DEFAULT '[]',
    tool_call_count int NOT NULL DEFAULT 0,
    status text NOT NULL DEFAULT 'completed',
    error_message text,
    error_id text,
    total_duration_ms int NOT NULL DEFAULT 0,
    ai_first_call_ms int,
    ai_followup_ms int,
    prompt_tokens int NOT NULL DEFAULT 0,
    completion_tokens int NOT NULL DEFAULT 0,
    total_tokens int NOT NULL DEFAULT 0,
    api_rounds int NOT NULL DEFAULT 0,
    estimated_cost_usd numeric(12, 6),
    redaction_rules_applied jsonb NOT NULL DEFAULT '[]',
    service_version text NOT NULL,
    gateway_version text,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT esbmcp_chat_sessions_pkey PRIMARY KEY (id)
);

CREATE TABLE IF NOT EXISTS public.esbmcp_tool_executions (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    session_id uuid,
    request_id text NOT NULL,
    slack_user_id text NOT NULL,
    slack_team_id text,
    slack_channel_id text,
    user_role text NOT NULL,
    tool_name text NOT NULL,
    domain text NOT NULL,
    risk_level text NOT NULL,
    arguments_hash text NOT NULL,
    arguments_keys jsonb NOT NULL DEFAULT '[]',
    arguments_preview jsonb NOT NULL DEFAULT '{}',
    confirmed boolean NOT NULL DEFAULT false,
    ok boolean NOT NULL DEFAULT true,
    has_error_field boolean NOT NULL DEFAULT false,
    result_code text,
    result_keys jsonb NOT NULL DEFAULT '[]',
    result_row_count int,
    result_bytes int,
    result_truncated boolean NOT NULL DEFAULT false,
    edge_function text,
    queued_at timestamptz NOT NULL,
    started_at timestamptz NOT NULL,
    completed_at timestamptz NOT NULL DEFAULT now(),
    duration_ms int NOT NULL,
    error_type text,
    error_code text,
    error_message text,
    error_stack text,
    service_version text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT esbmcp_tool_executions_pkey PRIMARY KEY (id)
);

CREATE TABLE IF NOT EXISTS public.esbmcp_tool_errors (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    execution_id uuid NOT NULL,
    session_id uuid,
    request_id text NOT NULL,
    slack_user_id text NOT NULL,
    user_role text NOT NULL,
    tool_name text NOT NULL,
    domain text NOT NULL,
    arguments_hash text NOT NULL,
    arguments_preview jsonb NOT NULL DEFAULT '{}',
    error_type text NOT NULL,
    error_code text,
    error_message text NOT NULL,
    error_pattern text NOT NULL,
    error_detail text,
    error_hint text,
    error_position text,
    error_stack text,
    sql_query_preview text,
    resolved boolean NOT NULL DEFAULT false,
    resolved_at timestamptz,
    resolved_by text,
    resolution_note text,
    service_version text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT esbmcp_tool_errors_pkey PRIMARY KEY (id)
);

CREATE TABLE IF NOT EXISTS public.esbmcp_audit_log (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    session_id uuid,
    request_id text,
    source text NOT NULL,
    event_type text NOT NULL,
    decision text NOT NULL,
    slack_user_id text,
    slack_team_id text,
    slack_channel_id text,
    slack_username text,
    user_role text,
    ip_address text,
    tool_name text,
    target_entity text,
    detail jsonb NOT NULL DEFAULT '{}',
    service_version text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT esbmcp_audit_log_pkey PRIMARY KEY (id)
);

CREATE TABLE IF NOT EXISTS public.esbmcp_feedback (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    session_id uuid NOT NULL,
    slack_user_id text NOT NULL,
    rating smallint NOT NULL,
    source text NOT NULL DEFAULT 'reaction',
    reaction text,
    comment text,
    slack_message_ts text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT esbmcp_feedback_pkey PRIMARY KEY (id),
    CONSTRAINT esbmcp_feedback_session_id_fkey FOREIGN KEY (session_id)
        REFERENCES public.esbmcp_chat_sessions (id) ON DELETE CASCADE
);

-- ---------------------------------------------------------------------------------------------
-- Operational state (§8): each guarantee is one atomic statement, kept in
-- src/artbattle_ops/db/state_sql.py.
-- ---------------------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS public.esbmcp_confirmations (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    tool_name text NOT NULL,
    requested_by text NOT NULL,
    request_id text NOT NULL,
    session_id uuid,
    arguments jsonb,
    arguments_hash text NOT NULL,
    state_hash text NOT NULL,
    idempotency_key text NOT NULL,
    preview jsonb NOT NULL DEFAULT '{}',
    status text NOT NULL DEFAULT 'pending',
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    CONSTRAINT esbmcp_confirmations_pkey PRIMARY KEY (id)
);

CREATE TABLE IF NOT EXISTS public.esbmcp_write_operations (
    idempotency_key text NOT NULL,
    tool_name text NOT NULL,
    requested_by text NOT NULL,
    role text NOT NULL,
    confirmation_id uuid NOT NULL,
    request_id text NOT NULL,
    session_id uuid,
    execution_id uuid NOT NULL,
    arguments_hash text NOT NULL,
    arguments_preview jsonb NOT NULL DEFAULT '{}',
    status text NOT NULL DEFAULT 'started',
    attempts int NOT NULL DEFAULT 1,
    before_state jsonb,
    after_state jsonb,
    result jsonb,
    error_code text,
    created_at timestamptz NOT NULL DEFAULT now(),
    started_at timestamptz NOT NULL DEFAULT now(),
    completed_at timestamptz,
    CONSTRAINT esbmcp_write_operations_pkey PRIMARY KEY (idempotency_key)
);

CREATE TABLE IF NOT EXISTS public.esbmcp_rate_limits (
    scope text NOT NULL,
    subject text NOT NULL,
    window_start timestamptz NOT NULL,
    hits int NOT NULL DEFAULT 1,
    expires_at timestamptz NOT NULL,
    CONSTRAINT esbmcp_rate_limits_pkey PRIMARY KEY (scope, subject, window_start)
);

CREATE TABLE IF NOT EXISTS public.esbmcp_request_nonces (
    nonce text NOT NULL,
    signed_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    accepted_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT esbmcp_request_nonces_pkey PRIMARY KEY (nonce)
);

CREATE TABLE IF NOT EXISTS public.esbmcp_slack_event_claims (
    slack_event_id text NOT NULL,
    claimed_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    CONSTRAINT esbmcp_slack_event_claims_pkey PRIMARY KEY (slack_event_id)
);

-- ---------------------------------------------------------------------------------------------
-- Reconciliation, step 1 (§5.2): every column, for tables created by an older shape. A column
-- that is NOT NULL without a default is added nullable; rows from before keep NULL.
-- ---------------------------------------------------------------------------------------------

ALTER TABLE public.esbmcp_chat_sessions
    ADD COLUMN IF NOT EXISTS id uuid NOT NULL DEFAULT gen_random_uuid(),
    ADD COLUMN IF NOT EXISTS request_id text,
    ADD COLUMN IF NOT EXISTS slack_event_id text,
    ADD COLUMN IF NOT EXISTS slack_team_id text,
    ADD COLUMN IF NOT EXISTS slack_channel_id text,
    ADD COLUMN IF NOT EXISTS slack_thread_ts text,
    ADD COLUMN IF NOT EXISTS reply_ts text,
    ADD COLUMN IF NOT EXISTS slack_user_id text,
    ADD COLUMN IF NOT EXISTS slack_username text,
    ADD COLUMN IF NOT EXISTS user_role text,
    ADD COLUMN IF NOT EXISTS interaction_type text NOT NULL DEFAULT 'app_mention',
    ADD COLUMN IF NOT EXISTS user_prompt text,
    ADD COLUMN IF NOT EXISTS ai_model text,
    ADD COLUMN IF NOT EXISTS ai_system_prompt_hash text,
    ADD COLUMN IF NOT EXISTS ai_response text,
    ADD COLUMN IF NOT EXISTS tools_called jsonb NOT NULL DEFAULT '[]',
    ADD COLUMN IF NOT EXISTS tool_call_count int NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS status text NOT NULL DEFAULT 'completed',
    ADD COLUMN IF NOT EXISTS error_message text,
    ADD COLUMN IF NOT EXISTS error_id text,
    ADD COLUMN IF NOT EXISTS total_duration_ms int NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS ai_first_call_ms int,
    ADD COLUMN IF NOT EXISTS ai_followup_ms int,
    ADD COLUMN IF NOT EXISTS prompt_tokens int NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS completion_tokens int NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS total_tokens int NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS api_rounds int NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS estimated_cost_usd numeric(12, 6),
    ADD COLUMN IF NOT EXISTS redaction_rules_applied jsonb NOT NULL DEFAULT '[]',
    ADD COLUMN IF NOT EXISTS service_version text,
    ADD COLUMN IF NOT EXISTS gateway_version text,
    ADD COLUMN IF NOT EXISTS created_at timestamptz NOT NULL DEFAULT now();

ALTER TABLE public.esbmcp_tool_executions
    ADD COLUMN IF NOT EXISTS id uuid NOT NULL DEFAULT gen_random_uuid(),
    ADD COLUMN IF NOT EXISTS session_id uuid,
    ADD COLUMN IF NOT EXISTS request_id text,
    ADD COLUMN IF NOT EXISTS slack_user_id text,
    ADD COLUMN IF NOT EXISTS slack_team_id text,
    ADD COLUMN IF NOT EXISTS slack_channel_id text,
    ADD COLUMN IF NOT EXISTS user_role text,
    ADD COLUMN IF NOT EXISTS tool_name text,
    ADD COLUMN IF NOT EXISTS domain text,
    ADD COLUMN IF NOT EXISTS risk_level text,
    ADD COLUMN IF NOT EXISTS arguments_hash text,
    ADD COLUMN IF NOT EXISTS arguments_keys jsonb NOT NULL DEFAULT '[]',
    ADD COLUMN IF NOT EXISTS arguments_preview jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN IF NOT EXISTS confirmed boolean NOT NULL DEFAULT false,
    ADD COLUMN IF NOT EXISTS ok boolean NOT NULL DEFAULT true,
    ADD COLUMN IF NOT EXISTS has_error_field boolean NOT NULL DEFAULT false,
    ADD COLUMN IF NOT EXISTS result_code text,
    ADD COLUMN IF NOT EXISTS result_keys jsonb NOT NULL DEFAULT '[]',
    ADD COLUMN IF NOT EXISTS result_row_count int,
    ADD COLUMN IF NOT EXISTS result_bytes int,
    ADD COLUMN IF NOT EXISTS result_truncated boolean NOT NULL DEFAULT false,
    ADD COLUMN IF NOT EXISTS edge_function text,
    ADD COLUMN IF NOT EXISTS queued_at timestamptz,
    ADD COLUMN IF NOT EXISTS started_at timestamptz,
    ADD COLUMN IF NOT EXISTS completed_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN IF NOT EXISTS duration_ms int,
    ADD COLUMN IF NOT EXISTS error_type text,
    ADD COLUMN IF NOT EXISTS error_code text,
    ADD COLUMN IF NOT EXISTS error_message text,
    ADD COLUMN IF NOT EXISTS error_stack text,
    ADD COLUMN IF NOT EXISTS service_version text,
    ADD COLUMN IF NOT EXISTS created_at timestamptz NOT NULL DEFAULT now();

ALTER TABLE public.esbmcp_tool_errors
    ADD COLUMN IF NOT EXISTS id uuid NOT NULL DEFAULT gen_random_uuid(),
    ADD COLUMN IF NOT EXISTS execution_id uuid,
    ADD COLUMN IF NOT EXISTS session_id uuid,
    ADD COLUMN IF NOT EXISTS request_id text,
    ADD COLUMN IF NOT EXISTS slack_user_id text,
    ADD COLUMN IF NOT EXISTS user_role text,
    ADD COLUMN IF NOT EXISTS tool_name text,
    ADD COLUMN IF NOT EXISTS domain text,
    ADD COLUMN IF NOT EXISTS arguments_hash text,
    ADD COLUMN IF NOT EXISTS arguments_preview jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN IF NOT EXISTS error_type text,
    ADD COLUMN IF NOT EXISTS error_code text,
    ADD COLUMN IF NOT EXISTS error_message text,
    ADD COLUMN IF NOT EXISTS error_pattern text,
    ADD COLUMN IF NOT EXISTS error_detail text,
    ADD COLUMN IF NOT EXISTS error_hint text,
    ADD COLUMN IF NOT EXISTS error_position text,
    ADD COLUMN IF NOT EXISTS error_stack text,
    ADD COLUMN IF NOT EXISTS sql_query_preview text,
    ADD COLUMN IF NOT EXISTS resolved boolean NOT NULL DEFAULT false,
    ADD COLUMN IF NOT EXISTS resolved_at timestamptz,
    ADD COLUMN IF NOT EXISTS resolved_by text,
    ADD COLUMN IF NOT EXISTS resolution_note text,
    ADD COLUMN IF NOT EXISTS service_version text,
    ADD COLUMN IF NOT EXISTS created_at timestamptz NOT NULL DEFAULT now();

ALTER TABLE public.esbmcp_audit_log
    ADD COLUMN IF NOT EXISTS id uuid NOT NULL DEFAULT gen_random_uuid(),
    ADD COLUMN IF NOT EXISTS session_id uuid,
    ADD COLUMN IF NOT EXISTS request_id text,
    ADD COLUMN IF NOT EXISTS source text,
    ADD COLUMN IF NOT EXISTS event_type text,
    ADD COLUMN IF NOT EXISTS decision text,
    ADD COLUMN IF NOT EXISTS slack_user_id text,
    ADD COLUMN IF NOT EXISTS slack_team_id text,
    ADD COLUMN IF NOT EXISTS slack_channel_id text,
    ADD COLUMN IF NOT EXISTS slack_username text,
    ADD COLUMN IF NOT EXISTS user_role text,
    ADD COLUMN IF NOT EXISTS ip_address text,
    ADD COLUMN IF NOT EXISTS tool_name text,
    ADD COLUMN IF NOT EXISTS target_entity text,
    ADD COLUMN IF NOT EXISTS detail jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN IF NOT EXISTS service_version text,
    ADD COLUMN IF NOT EXISTS created_at timestamptz NOT NULL DEFAULT now();

ALTER TABLE public.esbmcp_feedback
    ADD COLUMN IF NOT EXISTS id uuid NOT NULL DEFAULT gen_random_uuid(),
    ADD COLUMN IF NOT EXISTS session_id uuid,
    ADD COLUMN IF NOT EXISTS slack_user_id text,
    ADD COLUMN IF NOT EXISTS rating smallint,
    ADD COLUMN IF NOT EXISTS source text NOT NULL DEFAULT 'reaction',
    ADD COLUMN IF NOT EXISTS reaction text,
    ADD COLUMN IF NOT EXISTS comment text,
    ADD COLUMN IF NOT EXISTS slack_message_ts text,
    ADD COLUMN IF NOT EXISTS created_at timestamptz NOT NULL DEFAULT now();

ALTER TABLE public.esbmcp_confirmations
    ADD COLUMN IF NOT EXISTS id uuid NOT NULL DEFAULT gen_random_uuid(),
    ADD COLUMN IF NOT EXISTS tool_name text,
    ADD COLUMN IF NOT EXISTS requested_by text,
    ADD COLUMN IF NOT EXISTS request_id text,
    ADD COLUMN IF NOT EXISTS session_id uuid,
    ADD COLUMN IF NOT EXISTS arguments jsonb,
    ADD COLUMN IF NOT EXISTS arguments_hash text,
    ADD COLUMN IF NOT EXISTS state_hash text,
    ADD COLUMN IF NOT EXISTS idempotency_key text,
    ADD COLUMN IF NOT EXISTS preview jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN IF NOT EXISTS status text NOT NULL DEFAULT 'pending',
    ADD COLUMN IF NOT EXISTS created_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN IF NOT EXISTS expires_at timestamptz,
    ADD COLUMN IF NOT EXISTS used_at timestamptz;

ALTER TABLE public.esbmcp_write_operations
    ADD COLUMN IF NOT EXISTS idempotency_key text,
    ADD COLUMN IF NOT EXISTS tool_name text,
    ADD COLUMN IF NOT EXISTS requested_by text,
    ADD COLUMN IF NOT EXISTS role text,
    ADD COLUMN IF NOT EXISTS confirmation_id uuid,
    ADD COLUMN IF NOT EXISTS request_id text,
    ADD COLUMN IF NOT EXISTS session_id uuid,
    ADD COLUMN IF NOT EXISTS execution_id uuid,
    ADD COLUMN IF NOT EXISTS arguments_hash text,
    ADD COLUMN IF NOT EXISTS arguments_preview jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN IF NOT EXISTS status text NOT NULL DEFAULT 'started',
    ADD COLUMN IF NOT EXISTS attempts int NOT NULL DEFAULT 1,
    ADD COLUMN IF NOT EXISTS before_state jsonb,
    ADD COLUMN IF NOT EXISTS after_state jsonb,
    ADD COLUMN IF NOT EXISTS result jsonb,
    ADD COLUMN IF NOT EXISTS error_code text,
    ADD COLUMN IF NOT EXISTS created_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN IF NOT EXISTS started_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN IF NOT EXISTS completed_at timestamptz;

ALTER TABLE public.esbmcp_rate_limits
    ADD COLUMN IF NOT EXISTS scope text,
    ADD COLUMN IF NOT EXISTS subject text,
    ADD COLUMN IF NOT EXISTS window_start timestamptz,
    ADD COLUMN IF NOT EXISTS hits int NOT NULL DEFAULT 1,
    ADD COLUMN IF NOT EXISTS expires_at timestamptz;

ALTER TABLE public.esbmcp_request_nonces
    ADD COLUMN IF NOT EXISTS nonce text,
    ADD COLUMN IF NOT EXISTS signed_at timestamptz,
    ADD COLUMN IF NOT EXISTS expires_at timestamptz,
    ADD COLUMN IF NOT EXISTS accepted_at timestamptz NOT NULL DEFAULT now();

ALTER TABLE public.esbmcp_slack_event_claims
    ADD COLUMN IF NOT EXISTS slack_event_id text,
    ADD COLUMN IF NOT EXISTS claimed_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN IF NOT EXISTS expires_at timestamptz;

-- ---------------------------------------------------------------------------------------------
-- Reconciliation, step 2: the writers insert executions, audit events and errors before the
-- session row exists, so no foreign key may point from them to esbmcp_chat_sessions.
-- ---------------------------------------------------------------------------------------------

DO $$
DECLARE
    fk record;
BEGIN
    FOR fk IN
        SELECT c.conrelid::regclass AS table_name, c.conname AS constraint_name
        FROM pg_catalog.pg_constraint AS c
        WHERE c.contype = 'f'
          AND c.confrelid = 'public.esbmcp_chat_sessions'::regclass
          AND c.conrelid IN (
              'public.esbmcp_tool_executions'::regclass,
              'public.esbmcp_audit_log'::regclass,
              'public.esbmcp_tool_errors'::regclass
          )
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.table_name, fk.constraint_name);
    END LOOP;
END
$$;

-- Feedback is the one table that keeps its session foreign key (deleted with the session). An
-- older table without it gets it NOT VALID, so rows from before are not checked.
DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1
        FROM pg_catalog.pg_constraint AS c
        WHERE c.contype = 'f'
          AND c.conrelid = 'public.esbmcp_feedback'::regclass
          AND c.confrelid = 'public.esbmcp_chat_sessions'::regclass
    ) THEN
        ALTER TABLE public.esbmcp_feedback
            ADD CONSTRAINT esbmcp_feedback_session_id_fkey FOREIGN KEY (session_id)
            REFERENCES public.esbmcp_chat_sessions (id) ON DELETE CASCADE NOT VALID;
    END IF;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Reconciliation, step 3: the named CHECK constraints, one list for every table.
--   missing                 -> added NOT VALID (rows from before are not checked);
--   definition differs      -> dropped and added again NOT VALID;
--   same definition         -> left alone.
-- A constraint added to a table that holds no rows is validated at once, so a new database
-- gets validated constraints. Definitions are compared as the server prints them, on a
-- temporary copy of the table's columns, so a legacy column type does not read as a change.
-- ---------------------------------------------------------------------------------------------

DO $$
DECLARE
    wanted record;
    existing_expr text;
    wanted_expr text;
    has_rows boolean;
BEGIN
    FOR wanted IN
        SELECT t.table_name, t.constraint_name, t.definition
        FROM (VALUES
            ('esbmcp_chat_sessions', 'esbmcp_chat_sessions_status_chk',
             $c$CHECK (status IN ('completed', 'error', 'denied', 'rate_limited'))$c$),
            ('esbmcp_chat_sessions', 'esbmcp_chat_sessions_interaction_type_chk',
             $c$CHECK (interaction_type IN ('app_mention', 'slash_command', 'direct_message',
                                           'group_dm', 'assistant', 'console', 'cli'))$c$),
            ('esbmcp_chat_sessions', 'esbmcp_chat_sessions_tools_called_chk',
             $c$CHECK (CASE WHEN jsonb_typeof(tools_called) = 'array'
                            THEN tool_call_count = jsonb_array_length(tools_called)
                            ELSE false END)$c$),
            ('esbmcp_chat_sessions', 'esbmcp_chat_sessions_error_chk',
             $c$CHECK ((error_message IS NULL) = (status = 'completed'))$c$),

            ('esbmcp_tool_executions', 'esbmcp_tool_executions_risk_chk',
             $c$CHECK (risk_level IN ('read', 'write'))$c$),
            ('esbmcp_tool_executions', 'esbmcp_tool_executions_result_code_chk',
             $c$CHECK ((result_code IS NULL) = (ok AND NOT has_error_field)
                       AND NOT (has_error_field AND NOT ok))$c$),
            ('esbmcp_tool_executions', 'esbmcp_tool_executions_outcome_chk',
             $c$CHECK (CASE WHEN ok
                            THEN error_type IS NULL AND error_code IS NULL
                                 AND error_message IS NULL AND error_stack IS NULL
                            ELSE error_type IS NOT NULL AND error_message IS NOT NULL END)$c$),
            ('esbmcp_tool_executions', 'esbmcp_tool_executions_arrays_chk',
             $c$CHECK (jsonb_typeof(arguments_keys) = 'array'
                       AND jsonb_typeof(result_keys) = 'array')$c$),
            ('esbmcp_tool_executions', 'esbmcp_tool_executions_duration_chk',
             $c$CHECK (duration_ms >= 0)$c$),

            ('esbmcp_tool_errors', 'esbmcp_tool_errors_type_chk',
             $c$CHECK (error_type IN ('sql_error', 'timeout', 'connection_error',
                                      'edge_function_error', 'upstream_error',
                                      'validation_error', 'unknown'))$c$),
            ('esbmcp_tool_errors', 'esbmcp_tool_errors_resolution_chk',
             $c$CHECK (NOT resolved OR (resolved_at IS NOT NULL AND resolved_by IS NOT NULL))$c$),

            ('esbmcp_audit_log', 'esbmcp_audit_log_source_chk',
             $c$CHECK (source IN ('slack', 'gateway', 'db'))$c$),
            ('esbmcp_audit_log', 'esbmcp_audit_log_decision_chk',
             $c$CHECK (decision IN ('allow', 'deny', 'info', 'error'))$c$),
            ('esbmcp_audit_log', 'esbmcp_audit_log_event_type_chk',
             $c$CHECK (event_type ~ '^[a-z][a-z0-9_]{2,62}$')$c$),

            ('esbmcp_feedback', 'esbmcp_feedback_rating_chk',
             $c$CHECK (rating IN (-1, 0, 1))$c$),
            ('esbmcp_feedback', 'esbmcp_feedback_source_chk',
             $c$CHECK (source IN ('reaction', 'button', 'command'))$c$),

            ('esbmcp_confirmations', 'esbmcp_confirmations_status_chk',
             $c$CHECK (status IN ('pending', 'used', 'expired'))$c$),
            ('esbmcp_confirmations', 'esbmcp_confirmations_arguments_chk',
             $c$CHECK ((arguments IS NOT NULL) = (status = 'pending'))$c$),
            ('esbmcp_confirmations', 'esbmcp_confirmations_used_chk',
             $c$CHECK ((used_at IS NOT NULL) = (status = 'used'))$c$),
            ('esbmcp_confirmations', 'esbmcp_confirmations_expiry_chk',
             $c$CHECK (expires_at > created_at)$c$),

            ('esbmcp_write_operations', 'esbmcp_write_operations_status_chk',
             $c$CHECK (status IN ('started', 'succeeded', 'failed', 'unknown'))$c$),
            ('esbmcp_write_operations', 'esbmcp_write_operations_completion_chk',
             $c$CHECK ((completed_at IS NULL) = (status = 'started'))$c$),
            ('esbmcp_write_operations', 'esbmcp_write_operations_error_chk',
             $c$CHECK ((error_code IS NULL) = (status IN ('started', 'succeeded')))$c$),
            ('esbmcp_write_operations', 'esbmcp_write_operations_attempts_chk',
             $c$CHECK (attempts >= 1)$c$),

            ('esbmcp_rate_limits', 'esbmcp_rate_limits_scope_chk',
             $c$CHECK (scope IN ('user', 'channel', 'caller', 'request_tool'))$c$),
            ('esbmcp_rate_limits', 'esbmcp_rate_limits_hits_chk',
             $c$CHECK (hits >= 1)$c$)
        ) AS t (table_name, constraint_name, definition)
    LOOP
        SELECT pg_catalog.pg_get_expr(c.conbin, c.conrelid)
        INTO existing_expr
        FROM pg_catalog.pg_constraint AS c
        WHERE c.conrelid = format('public.%I', wanted.table_name)::regclass
          AND c.conname = wanted.constraint_name;

        IF FOUND THEN
            EXECUTE format(
                'CREATE TEMPORARY TABLE esbmcp_check_probe (LIKE public.%I)', wanted.table_name);
            EXECUTE format(
                'ALTER TABLE pg_temp.esbmcp_check_probe ADD CONSTRAINT %I %s',
                wanted.constraint_name, wanted.definition);
            SELECT pg_catalog.pg_get_expr(c.conbin, c.conrelid)
            INTO wanted_expr
            FROM pg_catalog.pg_constraint AS c
            WHERE c.conrelid = 'pg_temp.esbmcp_check_probe'::regclass
              AND c.conname = wanted.constraint_name;
            DROP TABLE pg_temp.esbmcp_check_probe;

            CONTINUE WHEN existing_expr IS NOT DISTINCT FROM wanted_expr;

            EXECUTE format(
                'ALTER TABLE public.%I DROP CONSTRAINT %I',
                wanted.table_name, wanted.constraint_name);
        END IF;

        EXECUTE format(
            'ALTER TABLE public.%I ADD CONSTRAINT %I %s NOT VALID',
            wanted.table_name, wanted.constraint_name, wanted.definition);

        EXECUTE format('SELECT EXISTS (SELECT 1 FROM public.%I)', wanted.table_name)
        INTO has_rows;
        IF NOT has_rows THEN
            EXECUTE format(
                'ALTER TABLE public.%I VALIDATE CONSTRAINT %I',
                wanted.table_name, wanted.constraint_name);
        END IF;
    END LOOP;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Indexes. Names are fixed, so an index built beforehand with CREATE INDEX CONCURRENTLY under
-- the same name is kept.
-- ---------------------------------------------------------------------------------------------

CREATE INDEX IF NOT EXISTS esbmcp_chat_sessions_user_created_idx
    ON public.esbmcp_chat_sessions (slack_user_id, created_at DESC);
CREATE INDEX IF NOT EXISTS esbmcp_chat_sessions_created_idx
    ON public.esbmcp_chat_sessions (created_at DESC);
CREATE INDEX IF NOT EXISTS esbmcp_chat_sessions_status_idx
    ON public.esbmcp_chat_sessions (status, created_at DESC)
    WHERE status <> 'completed';
CREATE INDEX IF NOT EXISTS esbmcp_chat_sessions_reply_idx
    ON public.esbmcp_chat_sessions (slack_channel_id, reply_ts)
    WHERE reply_ts IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS esbmcp_chat_sessions_event_uidx
    ON public.esbmcp_chat_sessions (slack_event_id)
    WHERE slack_event_id IS NOT NULL;

CREATE INDEX IF NOT EXISTS esbmcp_tool_executions_tool_created_idx
    ON public.esbmcp_tool_executions (tool_name, created_at DESC);
CREATE INDEX IF NOT EXISTS esbmcp_tool_executions_session_idx
    ON public.esbmcp_tool_executions (session_id)
    WHERE session_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS esbmcp_tool_executions_user_created_idx
    ON public.esbmcp_tool_executions (slack_user_id, created_at DESC);
CREATE INDEX IF NOT EXISTS esbmcp_tool_executions_failed_idx
    ON public.esbmcp_tool_executions (created_at DESC)
    WHERE ok = false;
CREATE INDEX IF NOT EXISTS esbmcp_tool_executions_domain_created_idx
    ON public.esbmcp_tool_executions (domain, created_at DESC);
CREATE INDEX IF NOT EXISTS esbmcp_tool_executions_created_idx
    ON public.esbmcp_tool_executions (created_at DESC);

CREATE UNIQUE INDEX IF NOT EXISTS esbmcp_tool_errors_execution_uidx
    ON public.esbmcp_tool_errors (execution_id);
CREATE INDEX IF NOT EXISTS esbmcp_tool_errors_tool_created_idx
    ON public.esbmcp_tool_errors (tool_name, created_at DESC);
CREATE INDEX IF NOT EXISTS esbmcp_tool_errors_unresolved_idx
    ON public.esbmcp_tool_errors (created_at DESC)
    WHERE resolved = false;
CREATE INDEX IF NOT EXISTS esbmcp_tool_errors_type_created_idx
    ON public.esbmcp_tool_errors (error_type, created_at DESC);
CREATE INDEX IF NOT EXISTS esbmcp_tool_errors_session_idx
    ON public.esbmcp_tool_errors (session_id)
    WHERE session_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS esbmcp_tool_errors_resolved_at_idx
    ON public.esbmcp_tool_errors (resolved_at)
    WHERE resolved;

CREATE INDEX IF NOT EXISTS esbmcp_audit_log_user_created_idx
    ON public.esbmcp_audit_log (slack_user_id, created_at DESC);
CREATE INDEX IF NOT EXISTS esbmcp_audit_log_type_created_idx
    ON public.esbmcp_audit_log (event_type, created_at DESC);
CREATE INDEX IF NOT EXISTS esbmcp_audit_log_created_idx
    ON public.esbmcp_audit_log (created_at DESC);
CREATE INDEX IF NOT EXISTS esbmcp_audit_log_denials_idx
    ON public.esbmcp_audit_log (created_at DESC)
    WHERE decision = 'deny';
CREATE INDEX IF NOT EXISTS esbmcp_audit_log_session_idx
    ON public.esbmcp_audit_log (session_id)
    WHERE session_id IS NOT NULL;

CREATE UNIQUE INDEX IF NOT EXISTS esbmcp_feedback_once_uidx
    ON public.esbmcp_feedback (session_id, slack_user_id, source, reaction) NULLS NOT DISTINCT;
CREATE INDEX IF NOT EXISTS esbmcp_feedback_session_idx
    ON public.esbmcp_feedback (session_id);
CREATE INDEX IF NOT EXISTS esbmcp_feedback_negative_idx
    ON public.esbmcp_feedback (created_at DESC)
    WHERE rating = -1;

CREATE INDEX IF NOT EXISTS esbmcp_confirmations_expires_idx
    ON public.esbmcp_confirmations (expires_at);
CREATE INDEX IF NOT EXISTS esbmcp_write_operations_completed_idx
    ON public.esbmcp_write_operations (completed_at)
    WHERE status IN ('succeeded', 'failed');
CREATE INDEX IF NOT EXISTS esbmcp_rate_limits_expires_idx
    ON public.esbmcp_rate_limits (expires_at);
CREATE INDEX IF NOT EXISTS esbmcp_request_nonces_expires_idx
    ON public.esbmcp_request_nonces (expires_at);
CREATE INDEX IF NOT EXISTS esbmcp_slack_event_claims_expires_idx
    ON public.esbmcp_slack_event_claims (expires_at);

-- ---------------------------------------------------------------------------------------------
-- Access (§2.8): row level security with no policies and no FORCE, so only the owner and
-- BYPASSRLS roles (service_role on Supabase) see rows; nothing for PUBLIC, anon, authenticated.
-- ---------------------------------------------------------------------------------------------

ALTER TABLE public.esbmcp_chat_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.esbmcp_tool_executions ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.esbmcp_tool_errors ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.esbmcp_audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.esbmcp_feedback ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.esbmcp_confirmations ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.esbmcp_write_operations ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.esbmcp_rate_limits ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.esbmcp_request_nonces ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.esbmcp_slack_event_claims ENABLE ROW LEVEL SECURITY;

REVOKE ALL ON TABLE
    public.esbmcp_chat_sessions,
    public.esbmcp_tool_executions,
    public.esbmcp_tool_errors,
    public.esbmcp_audit_log,
    public.esbmcp_feedback,
    public.esbmcp_confirmations,
    public.esbmcp_write_operations,
    public.esbmcp_rate_limits,
    public.esbmcp_request_nonces,
    public.esbmcp_slack_event_claims
FROM PUBLIC;

-- Supabase's default privileges grant new tables to anon and authenticated; plain PostgreSQL
-- has neither role (nor service_role), so each is handled only where it exists.
DO $$
DECLARE
    grantee text;
BEGIN
    FOREACH grantee IN ARRAY ARRAY['anon', 'authenticated']
    LOOP
        CONTINUE WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = grantee);
        EXECUTE format(
            'REVOKE ALL ON TABLE '
            'public.esbmcp_chat_sessions, public.esbmcp_tool_executions, '
            'public.esbmcp_tool_errors, public.esbmcp_audit_log, public.esbmcp_feedback, '
            'public.esbmcp_confirmations, public.esbmcp_write_operations, '
            'public.esbmcp_rate_limits, public.esbmcp_request_nonces, '
            'public.esbmcp_slack_event_claims '
            'FROM %I',
            grantee);
    END LOOP;

    -- The writers may connect as service_role (BYPASSRLS) rather than as the owner.
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'service_role') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE
            public.esbmcp_chat_sessions,
            public.esbmcp_tool_executions,
            public.esbmcp_tool_errors,
            public.esbmcp_audit_log,
            public.esbmcp_feedback,
            public.esbmcp_confirmations,
            public.esbmcp_write_operations,
            public.esbmcp_rate_limits,
            public.esbmcp_request_nonces,
            public.esbmcp_slack_event_claims
        TO service_role;
    END IF;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Comments: the meaning of every table and column (observability.md §2, §8; tools.md §1.9).
-- ---------------------------------------------------------------------------------------------

COMMENT ON FUNCTION public.esbmcp_fold(text) IS
    'Lower-cases and folds accented Latin letters to ASCII with core functions only; immutable, so expression indexes on it are valid. A later body change must rebuild those indexes.';

COMMENT ON TABLE public.esbmcp_chat_sessions IS
    'One row per Slack request, written once when the request ends, whatever the outcome. Slack retries and requests failing the Slack signature check get no row.';
COMMENT ON COLUMN public.esbmcp_chat_sessions.id IS
    'Minted when the request is accepted, before any check. Sent to the gateway as session_id with every call.';
COMMENT ON COLUMN public.esbmcp_chat_sessions.request_id IS
    'Correlation id: 32 lowercase hex, the trace id when tracing is on. In every log line of the request and in every gateway row.';
COMMENT ON COLUMN public.esbmcp_chat_sessions.slack_event_id IS
    'Slack event_id for event-driven interactions (mention, DM, group DM, assistant). NULL for slash commands. Used to drop Slack redeliveries.';
COMMENT ON COLUMN public.esbmcp_chat_sessions.slack_team_id IS
    'Slack team id. NULL only if Slack supplied none.';
COMMENT ON COLUMN public.esbmcp_chat_sessions.slack_channel_id IS
    'Slack channel id. NULL only if Slack supplied none.';
COMMENT ON COLUMN public.esbmcp_chat_sessions.slack_thread_ts IS
    'Thread the reply was posted in. NULL for a top-level or ephemeral reply.';
COMMENT ON COLUMN public.esbmcp_chat_sessions.reply_ts IS
    'ts of the bot reply message, used to map reactions to sessions. NULL when the reply was ephemeral (slash command) or posting failed.';
COMMENT ON COLUMN public.esbmcp_chat_sessions.slack_user_id IS
    'The requester.';
COMMENT ON COLUMN public.esbmcp_chat_sessions.slack_username IS
    'Display name from the Slack service user cache. NULL when the lookup failed.';
COMMENT ON COLUMN public.esbmcp_chat_sessions.user_role IS
    'The resolved role. NULL when none was resolved (role_denied) or the request was refused earlier.';
COMMENT ON COLUMN public.esbmcp_chat_sessions.interaction_type IS
    'How the request arrived: app_mention, slash_command, direct_message, group_dm, assistant, console or cli.';
COMMENT ON COLUMN public.esbmcp_chat_sessions.user_prompt IS
    'The prompt with the bot''s own mention removed (other mentions stay as <@U...>), scrubbed, at most 12,000 chars. A rejected over-long prompt is stored as its first 2,000 chars plus " [truncated]".';
COMMENT ON COLUMN public.esbmcp_chat_sessions.ai_model IS
    'Model id reported by the API on the last model call. NULL when no model call was made.';
COMMENT ON COLUMN public.esbmcp_chat_sessions.ai_system_prompt_hash IS
    'sha256: plus 64 hex of the exact system message sent on the first model call. NULL when no model call was made.';
COMMENT ON COLUMN public.esbmcp_chat_sessions.ai_response IS
    'The text posted back (model answer, help text, or the fixed denial or error message), after reply redaction and storage scrubbing. NULL only when nothing was posted.';
COMMENT ON COLUMN public.esbmcp_chat_sessions.tools_called IS
    'One entry per tool call the model requested, in order: tool_name, round, argument_keys, arguments_hash, outcome, ok, has_error_field, duration_ms, execution_id, error_code.';
COMMENT ON COLUMN public.esbmcp_chat_sessions.tool_call_count IS
    'Equals the number of entries in tools_called.';
COMMENT ON COLUMN public.esbmcp_chat_sessions.status IS
    'completed, error, denied or rate_limited, from the terminal audit event.';
COMMENT ON COLUMN public.esbmcp_chat_sessions.error_message IS
    'NULL when completed. A reason code when denied or rate_limited (e.g. channel_not_allowed, no_role, prompt_too_long, user_rate_limit_exceeded). "<ExceptionClass>: <message>", scrubbed, at most 500 chars, when the status is error.';
COMMENT ON COLUMN public.esbmcp_chat_sessions.error_id IS
    'The reference shown to the user (err_<base36 ms>_<6 chars>). Set only when the status is error.';
COMMENT ON COLUMN public.esbmcp_chat_sessions.total_duration_ms IS
    'From receipt to the reply being posted, or to the failure.';
COMMENT ON COLUMN public.esbmcp_chat_sessions.ai_first_call_ms IS
    'Wall time of the first model call. NULL when there was none.';
COMMENT ON COLUMN public.esbmcp_chat_sessions.ai_followup_ms IS
    'Summed wall time of all later model calls: 0 after one call, NULL when there was none.';
COMMENT ON COLUMN public.esbmcp_chat_sessions.prompt_tokens IS
    'Summed over all model calls.';
COMMENT ON COLUMN public.esbmcp_chat_sessions.completion_tokens IS
    'Summed over all model calls.';
COMMENT ON COLUMN public.esbmcp_chat_sessions.total_tokens IS
    'prompt_tokens + completion_tokens.';
COMMENT ON COLUMN public.esbmcp_chat_sessions.api_rounds IS
    'Number of model calls.';
COMMENT ON COLUMN public.esbmcp_chat_sessions.estimated_cost_usd IS
    'Sum over calls of that call''s tokens times that call''s model price, from the Slack service price table. 0 when no call was made. NULL when some call used a model missing from the table.';
COMMENT ON COLUMN public.esbmcp_chat_sessions.redaction_rules_applied IS
    'Names of the reply-redaction rules run on the reply, e.g. ["mask_card","mask_email","mask_phone"]. [] when the role is exempt or nothing was posted.';
COMMENT ON COLUMN public.esbmcp_chat_sessions.service_version IS
    'Version of the Slack service (package version).';
COMMENT ON COLUMN public.esbmcp_chat_sessions.gateway_version IS
    'Version the gateway reported when the connection was set up. NULL when the request made no gateway call.';
COMMENT ON COLUMN public.esbmcp_chat_sessions.created_at IS
    'When the request was received.';

COMMENT ON TABLE public.esbmcp_tool_executions IS
    'One row per tool call that passed all gateway checks and reached a handler. Refusals and confirmation_required answers are only in esbmcp_audit_log.';
COMMENT ON COLUMN public.esbmcp_tool_executions.id IS
    'Minted at dispatch. Returned to the caller with the result; referenced by esbmcp_tool_errors.execution_id and by audit details.';
COMMENT ON COLUMN public.esbmcp_tool_executions.session_id IS
    'From the signed request context. NULL for callers without a Slack session. No FK: the session row is written after the tools run.';
COMMENT ON COLUMN public.esbmcp_tool_executions.request_id IS
    'From the request context; minted by the gateway when absent.';
COMMENT ON COLUMN public.esbmcp_tool_executions.slack_user_id IS
    'From the request context. Always present: the gateway refuses a call without a Slack user.';
COMMENT ON COLUMN public.esbmcp_tool_executions.slack_team_id IS
    'From the request context. NULL when the caller sent none.';
COMMENT ON COLUMN public.esbmcp_tool_executions.slack_channel_id IS
    'From the request context. NULL when the caller sent none.';
COMMENT ON COLUMN public.esbmcp_tool_executions.user_role IS
    'The role the call was authorised under.';
COMMENT ON COLUMN public.esbmcp_tool_executions.tool_name IS
    'The tool called, as named in the manifest.';
COMMENT ON COLUMN public.esbmcp_tool_executions.domain IS
    'The tool''s domain from the manifest.';
COMMENT ON COLUMN public.esbmcp_tool_executions.risk_level IS
    'The tool''s risk from the manifest: read or write.';
COMMENT ON COLUMN public.esbmcp_tool_executions.arguments_hash IS
    'Keyed hash of the arguments as the model sent them: key_id:HMAC-SHA256 over canonical JSON (observability.md §6.2).';
COMMENT ON COLUMN public.esbmcp_tool_executions.arguments_keys IS
    'Sorted top-level argument names, as a JSON array.';
COMMENT ON COLUMN public.esbmcp_tool_executions.arguments_preview IS
    'Allow-listed, masked argument values (observability.md §6.3).';
COMMENT ON COLUMN public.esbmcp_tool_executions.confirmed IS
    'Whether valid confirmation evidence came with the call.';
COMMENT ON COLUMN public.esbmcp_tool_executions.ok IS
    'True if the handler returned; false if it raised.';
COMMENT ON COLUMN public.esbmcp_tool_executions.has_error_field IS
    'The handler returned a tool error (an envelope with ok: false and a top-level error). Always false when ok is false.';
COMMENT ON COLUMN public.esbmcp_tool_executions.result_code IS
    'The envelope''s error.code whenever the caller got ok: false: the returned tool error''s code, or the code a raised failure was mapped to (timeout, upstream_error, internal_error, Edge mapping). NULL when the caller got ok: true.';
COMMENT ON COLUMN public.esbmcp_tool_executions.result_keys IS
    'Sorted top-level keys of the envelope''s data. [] for a tool error and when ok is false.';
COMMENT ON COLUMN public.esbmcp_tool_executions.result_row_count IS
    'Sum of count over the list blocks at the top level of data; 0 if there are none, and for a tool error. NULL when ok is false.';
COMMENT ON COLUMN public.esbmcp_tool_executions.result_bytes IS
    'UTF-8 size of the serialised result as sent. NULL when ok is false.';
COMMENT ON COLUMN public.esbmcp_tool_executions.result_truncated IS
    'The gateway shortened the result to its size cap.';
COMMENT ON COLUMN public.esbmcp_tool_executions.edge_function IS
    'Name of the Edge Function the handler called. NULL if it called none.';
COMMENT ON COLUMN public.esbmcp_tool_executions.queued_at IS
    'When the gateway received the request.';
COMMENT ON COLUMN public.esbmcp_tool_executions.started_at IS
    'When the handler started, after all checks.';
COMMENT ON COLUMN public.esbmcp_tool_executions.completed_at IS
    'When the handler returned or raised.';
COMMENT ON COLUMN public.esbmcp_tool_executions.duration_ms IS
    'Handler time: completed_at - started_at in ms.';
COMMENT ON COLUMN public.esbmcp_tool_executions.error_type IS
    'NULL when ok. Otherwise the error classification of esbmcp_tool_errors.error_type.';
COMMENT ON COLUMN public.esbmcp_tool_executions.error_code IS
    'NULL when ok. Otherwise as esbmcp_tool_errors.error_code.';
COMMENT ON COLUMN public.esbmcp_tool_executions.error_message IS
    'NULL when ok. Otherwise scrubbed, at most 1,000 chars.';
COMMENT ON COLUMN public.esbmcp_tool_executions.error_stack IS
    'Only when the gateway runs in development or test mode and ok is false. Scrubbed, at most 8,000 chars. NULL in production.';
COMMENT ON COLUMN public.esbmcp_tool_executions.service_version IS
    'Gateway version.';
COMMENT ON COLUMN public.esbmcp_tool_executions.created_at IS
    'Equal to completed_at.';

COMMENT ON TABLE public.esbmcp_tool_errors IS
    'One row per failed execution (the handler raised), written in the same transaction as the execution row. Resolution columns are set by operators.';
COMMENT ON COLUMN public.esbmcp_tool_errors.id IS
    'Error id, also reported in the tool_failed audit detail.';
COMMENT ON COLUMN public.esbmcp_tool_errors.execution_id IS
    'The failed esbmcp_tool_executions.id (no FK).';
COMMENT ON COLUMN public.esbmcp_tool_errors.session_id IS
    'As on the execution (no FK).';
COMMENT ON COLUMN public.esbmcp_tool_errors.request_id IS
    'As on the execution.';
COMMENT ON COLUMN public.esbmcp_tool_errors.slack_user_id IS
    'As on the execution.';
COMMENT ON COLUMN public.esbmcp_tool_errors.user_role IS
    'As on the execution.';
COMMENT ON COLUMN public.esbmcp_tool_errors.tool_name IS
    'The tool that failed.';
COMMENT ON COLUMN public.esbmcp_tool_errors.domain IS
    'The tool''s domain from the manifest.';
COMMENT ON COLUMN public.esbmcp_tool_errors.arguments_hash IS
    'Keyed hash of the arguments (observability.md §6.2), as on the execution.';
COMMENT ON COLUMN public.esbmcp_tool_errors.arguments_preview IS
    'Same allow-list as on executions (observability.md §6.3).';
COMMENT ON COLUMN public.esbmcp_tool_errors.error_type IS
    'First matching class: timeout, connection_error, sql_error, edge_function_error, upstream_error, validation_error, unknown.';
COMMENT ON COLUMN public.esbmcp_tool_errors.error_code IS
    'The SQLSTATE, pool_timeout, edge_timeout, upstream_timeout, the HTTP status, network or invalid_arguments, per error_type. NULL only for unknown.';
COMMENT ON COLUMN public.esbmcp_tool_errors.error_message IS
    'Scrubbed, at most 2,000 chars.';
COMMENT ON COLUMN public.esbmcp_tool_errors.error_pattern IS
    'Grouping key, at most 200 chars: the scrubbed message with uuids, art codes, EIDs, quoted literals and digit runs replaced by placeholders, whitespace collapsed.';
COMMENT ON COLUMN public.esbmcp_tool_errors.error_detail IS
    'Postgres DETAIL, or the Edge Function''s details. Scrubbed, at most 1,000 chars. NULL when absent.';
COMMENT ON COLUMN public.esbmcp_tool_errors.error_hint IS
    'Postgres HINT. NULL when absent.';
COMMENT ON COLUMN public.esbmcp_tool_errors.error_position IS
    'Postgres error position (a character offset, as text). NULL when absent.';
COMMENT ON COLUMN public.esbmcp_tool_errors.error_stack IS
    'As on executions: development and test only.';
COMMENT ON COLUMN public.esbmcp_tool_errors.sql_query_preview IS
    'Text of the failing statement with its $n placeholders, whitespace collapsed, at most 500 chars. Never the bound values. NULL when the failure was not a statement error.';
COMMENT ON COLUMN public.esbmcp_tool_errors.resolved IS
    'False until an operator marks the error resolved.';
COMMENT ON COLUMN public.esbmcp_tool_errors.resolved_at IS
    'When it was marked resolved.';
COMMENT ON COLUMN public.esbmcp_tool_errors.resolved_by IS
    'Slack user id or name of whoever resolved it.';
COMMENT ON COLUMN public.esbmcp_tool_errors.resolution_note IS
    'What fixed it (change reference, ticket, data fix).';
COMMENT ON COLUMN public.esbmcp_tool_errors.service_version IS
    'Gateway version.';
COMMENT ON COLUMN public.esbmcp_tool_errors.created_at IS
    'Equal to the execution''s completed_at.';

COMMENT ON TABLE public.esbmcp_audit_log IS
    'Append-only record of policy decisions: one event per decision, from the Slack service, the gateway or the database.';
COMMENT ON COLUMN public.esbmcp_audit_log.id IS
    'Event id.';
COMMENT ON COLUMN public.esbmcp_audit_log.session_id IS
    'NULL for signature_denied, request_rejected, duplicate_request_ignored and db events, and for gateway calls without a session (no FK).';
COMMENT ON COLUMN public.esbmcp_audit_log.request_id IS
    'Correlation id of the request. NULL only for db events.';
COMMENT ON COLUMN public.esbmcp_audit_log.source IS
    'Which component decided: slack, gateway or db.';
COMMENT ON COLUMN public.esbmcp_audit_log.event_type IS
    'From the event catalogue (observability.md §2.4.1). Names never change once shipped.';
COMMENT ON COLUMN public.esbmcp_audit_log.decision IS
    'allow, deny, info or error; fixed per event type.';
COMMENT ON COLUMN public.esbmcp_audit_log.slack_user_id IS
    'From verified context only. NULL when it is unverified or absent.';
COMMENT ON COLUMN public.esbmcp_audit_log.slack_team_id IS
    'From verified context only. NULL when it is unverified or absent.';
COMMENT ON COLUMN public.esbmcp_audit_log.slack_channel_id IS
    'From verified context only. NULL when it is unverified or absent.';
COMMENT ON COLUMN public.esbmcp_audit_log.slack_username IS
    'From verified context only. NULL when it is unverified or absent.';
COMMENT ON COLUMN public.esbmcp_audit_log.user_role IS
    'The role at decision time. NULL before a role was resolved.';
COMMENT ON COLUMN public.esbmcp_audit_log.ip_address IS
    'One client address: the socket peer, or the first X-Forwarded-For hop when the peer is a trusted proxy. NULL for slack and db events.';
COMMENT ON COLUMN public.esbmcp_audit_log.tool_name IS
    'The tool concerned. NULL when none applies, or when the requested name is unknown (then in detail.requested_tool, sanitised).';
COMMENT ON COLUMN public.esbmcp_audit_log.target_entity IS
    'A non-PII identifier of the object acted on (event:<EID>, art:<art_code>, artist_profile:<uuid>, person:<uuid>, campaign:<uuid>, table:<name>). NULL when none applies.';
COMMENT ON COLUMN public.esbmcp_audit_log.detail IS
    'Exactly the fields listed per event type; every deny carries detail.reason. Never argument values, prompt text, emails, phones or tokens.';
COMMENT ON COLUMN public.esbmcp_audit_log.service_version IS
    'Writer''s version. For db events, the migration number that defined the function, e.g. 002.';
COMMENT ON COLUMN public.esbmcp_audit_log.created_at IS
    'Decision time.';

COMMENT ON TABLE public.esbmcp_feedback IS
    'Employee ratings of bot replies that map to a session through (slack_channel_id, reply_ts).';
COMMENT ON COLUMN public.esbmcp_feedback.id IS
    'Feedback id.';
COMMENT ON COLUMN public.esbmcp_feedback.session_id IS
    'The session whose reply was rated; deleted with it.';
COMMENT ON COLUMN public.esbmcp_feedback.slack_user_id IS
    'Who gave the feedback; may differ from the requester.';
COMMENT ON COLUMN public.esbmcp_feedback.rating IS
    '+1 positive, -1 negative or bug, 0 explicit mixed or neutral feedback from a button or command.';
COMMENT ON COLUMN public.esbmcp_feedback.source IS
    'reaction, button or command.';
COMMENT ON COLUMN public.esbmcp_feedback.reaction IS
    'Emoji name with any skin-tone suffix removed. NULL unless source is reaction.';
COMMENT ON COLUMN public.esbmcp_feedback.comment IS
    'Free text from a button or command, scrubbed, at most 2,000 chars. NULL for reactions.';
COMMENT ON COLUMN public.esbmcp_feedback.slack_message_ts IS
    'ts of the rated message (equal to the session''s reply_ts).';
COMMENT ON COLUMN public.esbmcp_feedback.created_at IS
    'When the feedback was given.';

COMMENT ON TABLE public.esbmcp_confirmations IS
    'Pending write actions awaiting the requester''s confirmation. Consumed at most once, by one conditional UPDATE ... RETURNING, only by the same user for the same tool and arguments hash, before expiry.';
COMMENT ON COLUMN public.esbmcp_confirmations.id IS
    'The confirmation_id returned with confirmation_required and sent back as artbattle/confirmation_id.';
COMMENT ON COLUMN public.esbmcp_confirmations.tool_name IS
    'The write tool the action is for.';
COMMENT ON COLUMN public.esbmcp_confirmations.requested_by IS
    'Slack user id of the requester: the only user who may confirm.';
COMMENT ON COLUMN public.esbmcp_confirmations.request_id IS
    'Request that asked for the preview.';
COMMENT ON COLUMN public.esbmcp_confirmations.session_id IS
    'Session of that request. NULL for callers without a Slack session.';
COMMENT ON COLUMN public.esbmcp_confirmations.arguments IS
    'The normalised arguments needed to execute: the one place raw argument values are kept. NULL once the action is used or expired.';
COMMENT ON COLUMN public.esbmcp_confirmations.arguments_hash IS
    'Keyed hash with label esbmcp.confirm.args.v1 over the canonical JSON of the normalised arguments.';
COMMENT ON COLUMN public.esbmcp_confirmations.state_hash IS
    'Keyed hash with label esbmcp.confirm.state.v1 over the canonical JSON of the previewed before state.';
COMMENT ON COLUMN public.esbmcp_confirmations.idempotency_key IS
    'The write''s idempotency key shown in the preview (SHA-256 of the tool name and its business fields).';
COMMENT ON COLUMN public.esbmcp_confirmations.preview IS
    'The preview returned to the caller, with personal fields masked as for the logs sink.';
COMMENT ON COLUMN public.esbmcp_confirmations.status IS
    'pending until consumed (used) or past expiry and erased (expired). A Cancel in Slack leaves it pending until it expires.';
COMMENT ON COLUMN public.esbmcp_confirmations.created_at IS
    'When the preview was stored.';
COMMENT ON COLUMN public.esbmcp_confirmations.expires_at IS
    'created_at plus 5 minutes: the expires_at the caller gets. No consumption after it.';
COMMENT ON COLUMN public.esbmcp_confirmations.used_at IS
    'When the confirmation was consumed. NULL unless status is used.';

COMMENT ON TABLE public.esbmcp_write_operations IS
    'The write ledger, keyed by idempotency_key: a confirmed write with a known key never runs twice, and unknown outcomes are reconciled before a retry. States and results are masked.';
COMMENT ON COLUMN public.esbmcp_write_operations.idempotency_key IS
    'SHA-256 of the tool name and the business fields the tool names (no personal data).';
COMMENT ON COLUMN public.esbmcp_write_operations.tool_name IS
    'The write tool.';
COMMENT ON COLUMN public.esbmcp_write_operations.requested_by IS
    'Slack user id of the requester who confirmed the current attempt.';
COMMENT ON COLUMN public.esbmcp_write_operations.role IS
    'Role the current attempt was authorised under.';
COMMENT ON COLUMN public.esbmcp_write_operations.confirmation_id IS
    'The confirmation consumed by the current attempt (no FK: confirmations are deleted after expiry).';
COMMENT ON COLUMN public.esbmcp_write_operations.request_id IS
    'Request of the current attempt.';
COMMENT ON COLUMN public.esbmcp_write_operations.session_id IS
    'Session of the current attempt. NULL for callers without a Slack session.';
COMMENT ON COLUMN public.esbmcp_write_operations.execution_id IS
    'Execution id of the current attempt; only that attempt may record the outcome.';
COMMENT ON COLUMN public.esbmcp_write_operations.arguments_hash IS
    'The confirmation arguments hash (label esbmcp.confirm.args.v1).';
COMMENT ON COLUMN public.esbmcp_write_operations.arguments_preview IS
    'Allow-listed argument preview (observability.md §6.3); no personal values.';
COMMENT ON COLUMN public.esbmcp_write_operations.status IS
    'started, succeeded, failed or unknown (timeout or connection lost after sending: reconcile before retrying).';
COMMENT ON COLUMN public.esbmcp_write_operations.attempts IS
    'Number of attempts: 1, plus one per take-over of a failed, unknown or stale started row.';
COMMENT ON COLUMN public.esbmcp_write_operations.before_state IS
    'State re-read before applying, personal fields masked. NULL when the attempt ended before reading it.';
COMMENT ON COLUMN public.esbmcp_write_operations.after_state IS
    'State after applying, personal fields masked. NULL unless the write succeeded.';
COMMENT ON COLUMN public.esbmcp_write_operations.result IS
    'The data returned to the caller, personal fields masked; a replay returns it. NULL unless the write succeeded.';
COMMENT ON COLUMN public.esbmcp_write_operations.error_code IS
    'Error code of tools.md §1.4 when failed or unknown; NULL when started or succeeded.';
COMMENT ON COLUMN public.esbmcp_write_operations.created_at IS
    'When the first attempt started.';
COMMENT ON COLUMN public.esbmcp_write_operations.started_at IS
    'When the current attempt started; a started row older than 5 minutes may be taken over.';
COMMENT ON COLUMN public.esbmcp_write_operations.completed_at IS
    'When the current attempt ended. NULL while started.';

COMMENT ON TABLE public.esbmcp_rate_limits IS
    'Shared counters for the per-user, per-channel and per-caller limits (fixed windows) and the per-request call caps. Incremented by one atomic upsert; rows past expires_at are deleted.';
COMMENT ON COLUMN public.esbmcp_rate_limits.scope IS
    'user, channel, caller (the gateway''s per-caller limit) or request_tool (max_calls_per_request).';
COMMENT ON COLUMN public.esbmcp_rate_limits.subject IS
    'Slack user id, channel id, client address, or <request_id>:<tool_name> for request_tool.';
COMMENT ON COLUMN public.esbmcp_rate_limits.window_start IS
    'Start of the fixed window, aligned on the Unix epoch. The epoch itself for request_tool, which counts for the whole request.';
COMMENT ON COLUMN public.esbmcp_rate_limits.hits IS
    'Attempts counted in the window, refused ones included; an attempt is admitted when its count is at most the limit.';
COMMENT ON COLUMN public.esbmcp_rate_limits.expires_at IS
    'End of the window (for request_tool, of the request''s lifetime); the row may be deleted after it.';

COMMENT ON TABLE public.esbmcp_request_nonces IS
    'Signature replay cache: request nonces already accepted, each accepted once across all gateway replicas, kept until their timestamp leaves the signature window.';
COMMENT ON COLUMN public.esbmcp_request_nonces.nonce IS
    'The x-mcp-nonce header value (random, not secret).';
COMMENT ON COLUMN public.esbmcp_request_nonces.signed_at IS
    'The x-mcp-timestamp of the request that used the nonce.';
COMMENT ON COLUMN public.esbmcp_request_nonces.expires_at IS
    'signed_at plus the signature window (MCP_REQUEST_SIGNATURE_MAX_AGE_SEC); after it a replay is refused by its timestamp.';
COMMENT ON COLUMN public.esbmcp_request_nonces.accepted_at IS
    'When the gateway accepted the request.';

COMMENT ON TABLE public.esbmcp_slack_event_claims IS
    'Slack event ids already claimed, each claimed once across all Slack service replicas, kept for a day (longer than Slack keeps redelivering).';
COMMENT ON COLUMN public.esbmcp_slack_event_claims.slack_event_id IS
    'Slack event_id, claimed when the event is acknowledged, before any work starts.';
COMMENT ON COLUMN public.esbmcp_slack_event_claims.claimed_at IS
    'When the event was claimed.';
COMMENT ON COLUMN public.esbmcp_slack_event_claims.expires_at IS
    'claimed_at plus one day; the row may be deleted after it.';
