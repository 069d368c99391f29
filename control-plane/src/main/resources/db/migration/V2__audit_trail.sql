-- Append-only audit trail of mutating API requests: who, when, what, target, outcome. No request
-- or response bodies are kept, so no secret (an endpoint's password) can land here.

CREATE TABLE audit_event (
    id          bigserial PRIMARY KEY,
    occurred_at timestamptz NOT NULL,
    subject     text        NOT NULL,           -- the token's sub, or 'anonymous' when no valid token was shown
    method      text        NOT NULL,
    path        text        NOT NULL,           -- without the query string
    target_type text,                           -- endpoints, tenants, replications, qos-policies, workers, ...
    target_id   text,
    tenant_id   text,
    status      integer     NOT NULL            -- the HTTP status answered
);

CREATE INDEX audit_event_occurred_at ON audit_event (occurred_at);
CREATE INDEX audit_event_subject ON audit_event (subject, id);
CREATE INDEX audit_event_tenant ON audit_event (tenant_id, id);

-- Append-only even for the service's own database role: rows cannot be changed or removed.
CREATE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_is_append_only();
