"""The one-statement SQL for shared operational state (observability.md §8, tools.md §1.9).

Each guarantee of the state tables is kept by a single atomic statement, so any number of
replicas may run it at once. Parameters are named (`%(name)s`). Rate limits and signatures take
their instant from the caller (an injectable clock); confirmations, claims and the ledger use the
database clock, so every replica agrees on expiry.
"""

from __future__ import annotations

from typing import Final

CONFIRMATION_TTL_SEC: Final = 300
SLACK_EVENT_CLAIM_TTL_SEC: Final = 86_400

# -- Confirmations --------------------------------------------------------------------------

INSERT_CONFIRMATION: Final = """
INSERT INTO public.esbmcp_confirmations (
    tool_name, requested_by, request_id, session_id, arguments,
    arguments_hash, state_hash, idempotency_key, preview, expires_at
)
VALUES (
    %(tool_name)s, %(requested_by)s, %(request_id)s, %(session_id)s, %(arguments)s,
    %(arguments_hash)s, %(state_hash)s, %(idempotency_key)s, %(preview)s,
    now() + make_interval(secs => %(ttl_sec)s)
)
RETURNING id, created_at, expires_at
"""

# Consumes a confirmation at most once: only a pending one, for the same user, tool and
# arguments hash, before expiry. A concurrent consumer waits on the row lock, then sees it used
# and gets no row. The stored arguments are returned and erased in the same statement.
CONSUME_CONFIRMATION: Final = """
WITH claimed AS (
    SELECT c.id, c.arguments
    FROM public.esbmcp_confirmations AS c
    WHERE c.id = %(confirmation_id)s
      AND c.status = 'pending'
      AND c.requested_by = %(requested_by)s
      AND c.tool_name = %(tool_name)s
      AND c.arguments_hash = %(arguments_hash)s
      AND c.expires_at > now()
    FOR UPDATE
)
UPDATE public.esbmcp_confirmations AS c
SET status = 'used',
    used_at = now(),
    arguments = NULL
FROM claimed
WHERE c.id = claimed.id
RETURNING c.id, claimed.arguments, c.state_hash, c.idempotency_key, c.created_at, c.used_at
"""

# After a refused consumption: tells confirmation_invalid, _expired and _mismatch apart.
READ_CONFIRMATION: Final = """
SELECT
    c.id,
    c.tool_name,
    c.requested_by,
    c.arguments_hash,
    c.status,
    c.expires_at,
    c.expires_at <= now() AS is_expired
FROM public.esbmcp_confirmations AS c
WHERE c.id = %(confirmation_id)s
"""

# Erases the arguments of pending actions past their expiry (retention deletes the rows later).
EXPIRE_CONFIRMATIONS: Final = """
UPDATE public.esbmcp_confirmations AS c
SET status = 'expired',
    arguments = NULL
WHERE c.status = 'pending'
  AND c.expires_at <= now()
"""

# -- Write ledger ---------------------------------------------------------------------------

# Returns a row only to the caller that created it; anyone else reads the existing row.
INSERT_WRITE_OPERATION: Final = """
INSERT INTO public.esbmcp_write_operations (
    idempotency_key, tool_name, requested_by, role, confirmation_id, request_id,
    session_id, execution_id, arguments_hash, arguments_preview, before_state
)
VALUES (
    %(idempotency_key)s, %(tool_name)s, %(requested_by)s, %(role)s, %(confirmation_id)s,
    %(request_id)s, %(session_id)s, %(execution_id)s, %(arguments_hash)s,
    %(arguments_preview)s, %(before_state)s
)
ON CONFLICT (idempotency_key) DO NOTHING
RETURNING idempotency_key, attempts
"""

READ_WRITE_OPERATION: Final = """
SELECT
    w.idempotency_key,
    w.tool_name,
    w.status,
    w.attempts,
    w.execution_id,
    w.before_state,
    w.after_state,
    w.result,
    w.error_code,
    w.started_at,
    w.started_at < now() - interval '5 minutes' AS is_stale,
    w.completed_at
FROM public.esbmcp_write_operations AS w
WHERE w.idempotency_key = %(idempotency_key)s
"""

# Takes over a failed row, a started row older than 5 minutes, or an unknown row once the
# caller has reconciled it (looked for the effect and not found it). Of concurrent callers,
# one wins: the others re-check the row, now freshly started, and get nothing.
TAKE_OVER_WRITE_OPERATION: Final = """
UPDATE public.esbmcp_write_operations AS w
SET status = 'started',
    attempts = w.attempts + 1,
    requested_by = %(requested_by)s,
    role = %(role)s,
    confirmation_id = %(confirmation_id)s,
    request_id = %(request_id)s,
    session_id = %(session_id)s,
    execution_id = %(execution_id)s,
    arguments_hash = %(arguments_hash)s,
    arguments_preview = %(arguments_preview)s,
    before_state = %(before_state)s,
    after_state = NULL,
    result = NULL,
    error_code = NULL,
    started_at = now(),
    completed_at = NULL
WHERE w.idempotency_key = %(idempotency_key)s
  AND (
      w.status = 'failed'
      OR (w.status = 'started' AND w.started_at < now() - interval '5 minutes')
      OR (w.status = 'unknown' AND %(after_reconciliation)s::boolean)
  )
RETURNING w.attempts
"""

# Records the outcome (succeeded, failed or unknown) of the attempt that owns the row; an
# attempt that was taken over no longer matches its execution id.
COMPLETE_WRITE_OPERATION: Final = """
UPDATE public.esbmcp_write_operations AS w
SET status = %(status)s,
    after_state = %(after_state)s,
    result = %(result)s,
    error_code = %(error_code)s,
    completed_at = now()
WHERE w.idempotency_key = %(idempotency_key)s
  AND w.execution_id = %(execution_id)s
  AND w.status = 'started'
RETURNING w.status
"""

# Reconciliation found the effect of an unknown write: it succeeded after all.
SETTLE_UNKNOWN_WRITE_OPERATION: Final = """
UPDATE public.esbmcp_write_operations AS w
SET status = 'succeeded',
    after_state = %(after_state)s,
    result = %(result)s,
    error_code = NULL,
    completed_at = now()
WHERE w.idempotency_key = %(idempotency_key)s
  AND w.status = 'unknown'
RETURNING w.status
"""

# -- Rate limits and call caps ----------------------------------------------------------------

# Counts one attempt in the fixed window (aligned on the Unix epoch) that holds `at`. Every
# attempt gets a distinct count, so exactly `limit` are admitted (hits <= limit) however many
# replicas race. The window's end is when a refused caller may retry.
INCREMENT_RATE_LIMIT: Final = """
INSERT INTO public.esbmcp_rate_limits AS r (scope, subject, window_start, expires_at)
SELECT
    %(scope)s,
    %(subject)s,
    w.window_start,
    w.window_start + make_interval(secs => %(window_sec)s)
FROM (
    SELECT date_bin(
        make_interval(secs => %(window_sec)s),
        %(at)s::timestamptz,
        timestamptz 'epoch'
    ) AS window_start
) AS w
ON CONFLICT (scope, subject, window_start) DO UPDATE
SET hits = r.hits + 1
RETURNING r.hits, r.expires_at
"""

# Counts one call of a tool within a request (max_calls_per_request): no window, the count
# lasts for the request and expires `ttl_sec` after its first call.
INCREMENT_CALL_COUNT: Final = """
INSERT INTO public.esbmcp_rate_limits AS r (scope, subject, window_start, expires_at)
VALUES (
    'request_tool',
    %(request_id)s::text || ':' || %(tool_name)s::text,
    timestamptz 'epoch',
    %(at)s::timestamptz + make_interval(secs => %(ttl_sec)s)
)
ON CONFLICT (scope, subject, window_start) DO UPDATE
SET hits = r.hits + 1
RETURNING r.hits
"""

# -- Replay cache and event claims ------------------------------------------------------------

# Returns the nonce only the first time it is offered, across all gateway replicas.
ACCEPT_REQUEST_NONCE: Final = """
INSERT INTO public.esbmcp_request_nonces (nonce, signed_at, expires_at)
VALUES (
    %(nonce)s,
    %(signed_at)s::timestamptz,
    %(signed_at)s::timestamptz + make_interval(secs => %(max_age_sec)s)
)
ON CONFLICT (nonce) DO NOTHING
RETURNING nonce
"""

# Returns the event id only to the first replica that claims it.
CLAIM_SLACK_EVENT: Final = """
INSERT INTO public.esbmcp_slack_event_claims (slack_event_id, expires_at)
VALUES (%(slack_event_id)s, now() + make_interval(secs => %(ttl_sec)s))
ON CONFLICT (slack_event_id) DO NOTHING
RETURNING slack_event_id
"""
