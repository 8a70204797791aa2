SET lock_timeout = '5s';
SET client_min_messages = warning;

-- 002: the operator views, the retention function, and their revokes and grants
-- (observability.md §2.8, §3, §4). Idempotent: views are dropped and created again in the same
-- transaction (CREATE OR REPLACE VIEW cannot rename or drop columns of an older view).
-- All windows are relative to now(); day and hour buckets are UTC whatever the session time
-- zone. Durations are rounded half away from zero (numeric round) to whole milliseconds.

-- ---------------------------------------------------------------------------------------------
-- §3.1 Tool usage over 30 days, per tool
-- ---------------------------------------------------------------------------------------------

DROP VIEW IF EXISTS public.esbmcp_v_tool_usage_30d;
CREATE VIEW public.esbmcp_v_tool_usage_30d WITH (security_invoker = true) AS
SELECT
    te.tool_name,
    te.domain,
    count(*) AS total_calls,
    count(*) FILTER (WHERE te.ok) AS success_count,
    count(*) FILTER (WHERE NOT te.ok) AS failure_count,
    count(*) FILTER (WHERE te.ok AND te.has_error_field) AS error_result_count,
    round(100.0 * count(*) FILTER (WHERE te.ok) / count(*), 1) AS success_rate_pct,
    round(avg(te.duration_ms))::int AS avg_duration_ms,
    round((percentile_cont(0.95) WITHIN GROUP (ORDER BY te.duration_ms))::numeric)::int
        AS p95_duration_ms,
    max(te.duration_ms) AS max_duration_ms,
    count(DISTINCT te.slack_user_id) AS unique_users,
    min(te.created_at) AS first_call,
    max(te.created_at) AS last_call,
    max(te.created_at) FILTER (WHERE NOT te.ok) AS last_failure
FROM public.esbmcp_tool_executions AS te
WHERE te.created_at >= now() - interval '30 days'
GROUP BY te.tool_name, te.domain;

-- ---------------------------------------------------------------------------------------------
-- §3.2 User activity over 30 days. Sessions and executions are aggregated per user separately
-- and joined 1:1, so no figure is multiplied by the number of tool calls.
-- ---------------------------------------------------------------------------------------------

DROP VIEW IF EXISTS public.esbmcp_v_user_activity_30d;
CREATE VIEW public.esbmcp_v_user_activity_30d WITH (security_invoker = true) AS
WITH session_figures AS (
    SELECT
        cs.slack_user_id,
        (array_agg(cs.slack_username ORDER BY cs.created_at DESC, cs.id DESC)
            FILTER (WHERE cs.slack_username IS NOT NULL))[1] AS slack_username,
        (array_agg(cs.user_role ORDER BY cs.created_at DESC, cs.id DESC)
            FILTER (WHERE cs.user_role IS NOT NULL))[1] AS user_role,
        count(*) AS total_sessions,
        count(*) FILTER (WHERE cs.status = 'completed') AS completed_sessions,
        count(*) FILTER (WHERE cs.status = 'error') AS error_sessions,
        count(*) FILTER (WHERE cs.status = 'denied') AS denied_sessions,
        count(*) FILTER (WHERE cs.status = 'rate_limited') AS rate_limited_sessions,
        round(avg(cs.total_duration_ms))::int AS avg_session_ms,
        sum(cs.total_tokens) AS total_tokens,
        sum(COALESCE(cs.estimated_cost_usd, 0)) AS estimated_cost_usd,
        min(cs.created_at) AS first_session,
        max(cs.created_at) AS last_session
    FROM public.esbmcp_chat_sessions AS cs
    WHERE cs.created_at >= now() - interval '30 days'
    GROUP BY cs.slack_user_id
),
tool_figures AS (
    SELECT
        te.slack_user_id,
        count(*) AS total_tool_calls,
        count(*) FILTER (WHERE NOT te.ok) AS failed_tool_calls,
        array_agg(DISTINCT te.tool_name ORDER BY te.tool_name) AS tools_used
    FROM public.esbmcp_tool_executions AS te
    WHERE te.created_at >= now() - interval '30 days'
    GROUP BY te.slack_user_id
)
SELECT
    s.slack_user_id,
    s.slack_username,
    s.user_role,
    s.total_sessions,
    s.completed_sessions,
    s.error_sessions,
    s.denied_sessions,
    s.rate_limited_sessions,
    s.avg_session_ms,
    s.total_tokens,
    s.estimated_cost_usd,
    COALESCE(t.total_tool_calls, 0) AS total_tool_calls,
    COALESCE(t.failed_tool_calls, 0) AS failed_tool_calls,
    COALESCE(t.tools_used, ARRAY[]::text[]) AS tools_used,
    s.first_session,
    s.last_session
FROM session_figures AS s
LEFT JOIN tool_figures AS t ON t.slack_user_id = s.slack_user_id;

-- ---------------------------------------------------------------------------------------------
-- §3.3 Recurring failures over 7 days. The join is at most 1:1 (execution_id is unique); the
-- LEFT JOIN and COALESCEs keep failed executions whose error row is missing.
-- ---------------------------------------------------------------------------------------------

DROP VIEW IF EXISTS public.esbmcp_v_error_digest_7d;
CREATE VIEW public.esbmcp_v_error_digest_7d WITH (security_invoker = true) AS
SELECT
    te.tool_name,
    te.domain,
    COALESCE(err.error_type, te.error_type, 'unknown') AS error_type,
    COALESCE(err.error_code, te.error_code) AS error_code,
    COALESCE(err.error_pattern, left(te.error_message, 200)) AS error_pattern,
    left(
        (array_agg(COALESCE(err.error_message, te.error_message)
            ORDER BY te.created_at DESC, te.id DESC))[1],
        300
    ) AS sample_message,
    count(*) AS occurrence_count,
    count(DISTINCT te.slack_user_id) AS affected_users,
    count(DISTINCT te.session_id) AS affected_sessions,
    min(te.created_at) AS first_seen,
    max(te.created_at) AS last_seen,
    count(*) FILTER (WHERE err.resolved) AS resolved_count,
    count(*) - count(*) FILTER (WHERE err.resolved) AS unresolved_count,
    (array_agg(err.id ORDER BY te.created_at DESC, te.id DESC)
        FILTER (WHERE err.id IS NOT NULL))[1] AS latest_error_id
FROM public.esbmcp_tool_executions AS te
LEFT JOIN public.esbmcp_tool_errors AS err ON err.execution_id = te.id
WHERE te.ok = false
  AND te.created_at >= now() - interval '7 days'
GROUP BY
    te.tool_name,
    te.domain,
    COALESCE(err.error_type, te.error_type, 'unknown'),
    COALESCE(err.error_code, te.error_code),
    COALESCE(err.error_pattern, left(te.error_message, 200));

-- ---------------------------------------------------------------------------------------------
-- §3.4 Daily volume over the last 90 UTC days, today included: the window starts at 00:00 UTC
-- 89 days ago. Sessions and executions are grouped by day separately, then joined on day.
-- ---------------------------------------------------------------------------------------------

DROP VIEW IF EXISTS public.esbmcp_v_daily_volume;
CREATE VIEW public.esbmcp_v_daily_volume WITH (security_invoker = true) AS
WITH session_days AS (
    SELECT
        (cs.created_at AT TIME ZONE 'UTC')::date AS day,
        count(*) AS total_sessions,
        count(*) FILTER (WHERE cs.status = 'completed') AS completed,
        count(*) FILTER (WHERE cs.status = 'error') AS errors,
        count(*) FILTER (WHERE cs.status = 'denied') AS denied,
        count(*) FILTER (WHERE cs.status = 'rate_limited') AS rate_limited,
        count(DISTINCT cs.slack_user_id) AS unique_users,
        round(avg(cs.total_duration_ms))::int AS avg_duration_ms,
        round((percentile_cont(0.95) WITHIN GROUP (ORDER BY cs.total_duration_ms))::numeric)::int
            AS p95_duration_ms,
        sum(cs.total_tokens) AS total_tokens,
        sum(COALESCE(cs.estimated_cost_usd, 0)) AS estimated_cost_usd
    FROM public.esbmcp_chat_sessions AS cs
    WHERE cs.created_at >= ((now() AT TIME ZONE 'UTC')::date - 89)::timestamp AT TIME ZONE 'UTC'
    GROUP BY (cs.created_at AT TIME ZONE 'UTC')::date
),
tool_days AS (
    SELECT
        (te.created_at AT TIME ZONE 'UTC')::date AS day,
        count(*) AS total_tool_calls,
        count(*) FILTER (WHERE NOT te.ok) AS failed_tool_calls
    FROM public.esbmcp_tool_executions AS te
    WHERE te.created_at >= ((now() AT TIME ZONE 'UTC')::date - 89)::timestamp AT TIME ZONE 'UTC'
    GROUP BY (te.created_at AT TIME ZONE 'UTC')::date
)
SELECT
    s.day,
    s.total_sessions,
    s.completed,
    s.errors,
    s.denied,
    s.rate_limited,
    s.unique_users,
    COALESCE(t.total_tool_calls, 0) AS total_tool_calls,
    COALESCE(t.failed_tool_calls, 0) AS failed_tool_calls,
    s.avg_duration_ms,
    s.p95_duration_ms,
    s.total_tokens,
    s.estimated_cost_usd
FROM session_days AS s
LEFT JOIN tool_days AS t ON t.day = s.day;

-- ---------------------------------------------------------------------------------------------
-- §3.5 Sessions per UTC weekday and hour over 7 days
-- ---------------------------------------------------------------------------------------------

DROP VIEW IF EXISTS public.esbmcp_v_hourly_heatmap_7d;
CREATE VIEW public.esbmcp_v_hourly_heatmap_7d WITH (security_invoker = true) AS
SELECT
    c.day_of_week,
    (ARRAY['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'])[c.day_of_week + 1] AS day_name,
    c.hour_utc,
    count(*) AS session_count,
    count(DISTINCT c.slack_user_id) AS unique_users,
    count(*) FILTER (WHERE c.status = 'error') AS error_count
FROM (
    SELECT
        EXTRACT(DOW FROM cs.created_at AT TIME ZONE 'UTC')::int AS day_of_week,
        EXTRACT(HOUR FROM cs.created_at AT TIME ZONE 'UTC')::int AS hour_utc,
        cs.slack_user_id,
        cs.status
    FROM public.esbmcp_chat_sessions AS cs
    WHERE cs.created_at >= now() - interval '7 days'
) AS c
GROUP BY c.day_of_week, c.hour_utc;

-- ---------------------------------------------------------------------------------------------
-- §3.6 Denials over 7 days, from both sources
-- ---------------------------------------------------------------------------------------------

DROP VIEW IF EXISTS public.esbmcp_v_audit_denials_7d;
CREATE VIEW public.esbmcp_v_audit_denials_7d WITH (security_invoker = true) AS
SELECT
    a.event_type,
    a.source,
    a.slack_user_id,
    a.user_role,
    a.tool_name,
    (array_agg(a.slack_username ORDER BY a.created_at DESC, a.id DESC)
        FILTER (WHERE a.slack_username IS NOT NULL))[1] AS slack_username,
    count(*) AS denial_count,
    min(a.created_at) AS first_denial,
    max(a.created_at) AS last_denial,
    COALESCE(
        array_agg(DISTINCT a.detail ->> 'reason' ORDER BY a.detail ->> 'reason')
            FILTER (WHERE a.detail ->> 'reason' IS NOT NULL),
        ARRAY[]::text[]
    ) AS reasons,
    COALESCE(
        array_agg(DISTINCT a.ip_address ORDER BY a.ip_address)
            FILTER (WHERE a.ip_address IS NOT NULL),
        ARRAY[]::text[]
    ) AS ip_addresses
FROM public.esbmcp_audit_log AS a
WHERE a.decision = 'deny'
  AND a.created_at >= now() - interval '7 days'
GROUP BY a.event_type, a.source, a.slack_user_id, a.user_role, a.tool_name;

-- ---------------------------------------------------------------------------------------------
-- §3.7 Unresolved errors of all time. Their session may have been deleted by retention, in
-- which case triggering_prompt is NULL.
-- ---------------------------------------------------------------------------------------------

DROP VIEW IF EXISTS public.esbmcp_v_unresolved_errors;
CREATE VIEW public.esbmcp_v_unresolved_errors WITH (security_invoker = true) AS
SELECT
    err.id,
    err.execution_id,
    err.session_id,
    err.request_id,
    err.tool_name,
    err.domain,
    err.error_type,
    err.error_code,
    err.error_message,
    err.error_hint,
    err.error_detail,
    err.error_pattern,
    err.sql_query_preview,
    err.arguments_preview,
    err.slack_user_id,
    err.user_role,
    err.created_at,
    cs.user_prompt AS triggering_prompt
FROM public.esbmcp_tool_errors AS err
LEFT JOIN public.esbmcp_chat_sessions AS cs ON cs.id = err.session_id
WHERE err.resolved = false;

-- ---------------------------------------------------------------------------------------------
-- §3.8 Negative feedback with the session it rates
-- ---------------------------------------------------------------------------------------------

DROP VIEW IF EXISTS public.esbmcp_v_negative_feedback;
CREATE VIEW public.esbmcp_v_negative_feedback WITH (security_invoker = true) AS
SELECT
    f.id AS feedback_id,
    f.session_id,
    f.created_at AS feedback_at,
    f.slack_user_id,
    cs.slack_user_id AS session_user_id,
    f.rating,
    f.source,
    f.reaction,
    f.comment,
    cs.slack_channel_id,
    cs.reply_ts,
    cs.user_prompt,
    cs.ai_response,
    cs.tools_called,
    cs.status AS session_status,
    cs.error_message AS session_error,
    cs.created_at AS session_created_at
FROM public.esbmcp_feedback AS f
JOIN public.esbmcp_chat_sessions AS cs ON cs.id = f.session_id
WHERE f.rating = -1;

-- ---------------------------------------------------------------------------------------------
-- §4 Retention. Serialised by a transaction advisory lock: a second concurrent run deletes
-- nothing and returns skipped. Also deletes the expired rows of the operational state tables
-- (§8). Writes one audit row (source db) either way.
-- ---------------------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION public.esbmcp_cleanup_old_data(retention_days int DEFAULT 90)
RETURNS jsonb
LANGUAGE plpgsql
VOLATILE
SECURITY INVOKER
SET search_path = public, pg_temp
SET lock_timeout = '5s'
SET statement_timeout = '15min'
AS $$
DECLARE
    cutoff timestamptz;
    skipped boolean;
    result jsonb;
    deleted_feedback bigint := 0;
    deleted_errors bigint := 0;
    deleted_executions bigint := 0;
    deleted_audit bigint := 0;
    deleted_sessions bigint := 0;
    deleted_confirmations bigint := 0;
    deleted_write_operations bigint := 0;
    deleted_rate_limits bigint := 0;
    deleted_request_nonces bigint := 0;
    deleted_slack_event_claims bigint := 0;
    kept_unresolved_errors bigint := 0;
BEGIN
    IF retention_days IS NULL OR retention_days < 1 THEN
        RAISE EXCEPTION 'retention_days must be >= 1' USING ERRCODE = '22023';
    END IF;

    skipped := NOT pg_try_advisory_xact_lock(hashtextextended('esbmcp_cleanup_old_data', 0));
    cutoff := now() - retention_days * interval '1 day';

    IF NOT skipped THEN
        -- Explicitly, so the count includes what the session cascade would remove silently.
        DELETE FROM public.esbmcp_feedback AS f
        WHERE f.created_at < cutoff
           OR EXISTS (
               SELECT 1
               FROM public.esbmcp_chat_sessions AS cs
               WHERE cs.id = f.session_id
                 AND cs.created_at < cutoff
           );
        GET DIAGNOSTICS deleted_feedback = ROW_COUNT;

        -- Unresolved errors are never deleted, whatever their age.
        DELETE FROM public.esbmcp_tool_errors AS err
        WHERE err.resolved = true
          AND err.resolved_at < cutoff;
        GET DIAGNOSTICS deleted_errors = ROW_COUNT;

        DELETE FROM public.esbmcp_tool_executions AS te
        WHERE te.created_at < cutoff;
        GET DIAGNOSTICS deleted_executions = ROW_COUNT;

        DELETE FROM public.esbmcp_audit_log AS a
        WHERE a.created_at < cutoff;
        GET DIAGNOSTICS deleted_audit = ROW_COUNT;

        DELETE FROM public.esbmcp_chat_sessions AS cs
        WHERE cs.created_at < cutoff;
        GET DIAGNOSTICS deleted_sessions = ROW_COUNT;

        -- Operational state: rows past their own expiry. Finished ledger rows follow the
        -- retention cutoff; started and unknown ones are kept until they are settled.
        DELETE FROM public.esbmcp_confirmations AS c
        WHERE c.expires_at < now();
        GET DIAGNOSTICS deleted_confirmations = ROW_COUNT;

        DELETE FROM public.esbmcp_write_operations AS w
        WHERE w.status IN ('succeeded', 'failed')
          AND w.completed_at < cutoff;
        GET DIAGNOSTICS deleted_write_operations = ROW_COUNT;

        DELETE FROM public.esbmcp_rate_limits AS r
        WHERE r.expires_at < now();
        GET DIAGNOSTICS deleted_rate_limits = ROW_COUNT;

        DELETE FROM public.esbmcp_request_nonces AS n
        WHERE n.expires_at < now();
        GET DIAGNOSTICS deleted_request_nonces = ROW_COUNT;

        DELETE FROM public.esbmcp_slack_event_claims AS e
        WHERE e.expires_at < now();
        GET DIAGNOSTICS deleted_slack_event_claims = ROW_COUNT;

        SELECT count(*)
        INTO kept_unresolved_errors
        FROM public.esbmcp_tool_errors AS err
        WHERE err.resolved = false
          AND err.created_at < cutoff;
    END IF;

    result := jsonb_build_object(
        'retention_days', retention_days,
        'cutoff', to_char(cutoff AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'skipped', skipped,
        'deleted_sessions', deleted_sessions,
        'deleted_executions', deleted_executions,
        'deleted_audit', deleted_audit,
        'deleted_errors', deleted_errors,
        'deleted_feedback', deleted_feedback,
        'kept_unresolved_errors', kept_unresolved_errors,
        'deleted_confirmations', deleted_confirmations,
        'deleted_write_operations', deleted_write_operations,
        'deleted_rate_limits', deleted_rate_limits,
        'deleted_request_nonces', deleted_request_nonces,
        'deleted_slack_event_claims', deleted_slack_event_claims
    );
    IF skipped THEN
        result := result || jsonb_build_object('reason', 'already_running');
    END IF;

    INSERT INTO public.esbmcp_audit_log (source, event_type, decision, detail, service_version)
    VALUES ('db', 'retention_cleanup', 'info', result, '002');

    RETURN result;
END
$$;

COMMENT ON FUNCTION public.esbmcp_cleanup_old_data(int) IS
    'Deletes esbmcp_ rows older than retention_days (unresolved errors are kept) and expired operational state; returns and audits the counts. A concurrent second run returns skipped.';

-- ---------------------------------------------------------------------------------------------
-- Access (§2.8): nothing for PUBLIC, anon or authenticated; the cleanup function runs only as
-- the owner or service_role. Each Supabase role is handled only where it exists.
-- ---------------------------------------------------------------------------------------------

REVOKE ALL ON TABLE
    public.esbmcp_v_tool_usage_30d,
    public.esbmcp_v_user_activity_30d,
    public.esbmcp_v_error_digest_7d,
    public.esbmcp_v_daily_volume,
    public.esbmcp_v_hourly_heatmap_7d,
    public.esbmcp_v_audit_denials_7d,
    public.esbmcp_v_unresolved_errors,
    public.esbmcp_v_negative_feedback
FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION public.esbmcp_cleanup_old_data(int) FROM PUBLIC;

DO $$
DECLARE
    grantee text;
BEGIN
    FOREACH grantee IN ARRAY ARRAY['anon', 'authenticated']
    LOOP
        CONTINUE WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = grantee);
        EXECUTE format(
            'REVOKE ALL ON TABLE '
            'public.esbmcp_v_tool_usage_30d, public.esbmcp_v_user_activity_30d, '
            'public.esbmcp_v_error_digest_7d, public.esbmcp_v_daily_volume, '
            'public.esbmcp_v_hourly_heatmap_7d, public.esbmcp_v_audit_denials_7d, '
            'public.esbmcp_v_unresolved_errors, public.esbmcp_v_negative_feedback '
            'FROM %I',
            grantee);
        EXECUTE format(
            'REVOKE EXECUTE ON FUNCTION public.esbmcp_cleanup_old_data(int) FROM %I', grantee);
    END LOOP;

    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'service_role') THEN
        GRANT SELECT ON TABLE
            public.esbmcp_v_tool_usage_30d,
            public.esbmcp_v_user_activity_30d,
            public.esbmcp_v_error_digest_7d,
            public.esbmcp_v_daily_volume,
            public.esbmcp_v_hourly_heatmap_7d,
            public.esbmcp_v_audit_denials_7d,
            public.esbmcp_v_unresolved_errors,
            public.esbmcp_v_negative_feedback
        TO service_role;
        GRANT EXECUTE ON FUNCTION public.esbmcp_cleanup_old_data(int) TO service_role;
    END IF;
END
$$;
