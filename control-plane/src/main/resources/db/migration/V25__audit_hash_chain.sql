-- Tamper-evident audit trail: every row carries row_hash = sha256(prev_hash || canonical encoding of
-- its fields); rows are appended only through audit_append(), which takes the chain head under a row
-- lock so concurrent appends chain one after the other. Signed checkpoints of the head are kept in
-- audit_checkpoint. The canonical encoding is mirrored in io.helios.controlplane.audit.AuditChain
-- (the verifier recomputes every hash in Java, independently of this function).
--
-- Ownership: when the migrating user may create roles, the table, the checkpoints and the append
-- function belong to the NOLOGIN role helios_audit_owner; the service role (placeholder
-- auditServiceRole, default: the datasource user) keeps SELECT and EXECUTE on audit_append only.
-- Otherwise everything stays with the migrating user and a NOTICE says so (docs: audit-ops).

ALTER TABLE audit_event ADD COLUMN prev_hash bytea, ADD COLUMN row_hash bytea;

-- v1|<id>|<occurred_at as epoch microseconds>|<field>|...|<status>; a text field is '-' when null,
-- else <octet length>:<value>, so no value can shift into the next field
CREATE FUNCTION audit_canonical(p_id bigint, p_at timestamptz, p_subject text, p_method text, p_path text,
                                p_target_type text, p_target_id text, p_tenant_id text, p_status integer)
    RETURNS bytea LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$
    SELECT convert_to('v1|' || p_id || '|' || (extract(epoch FROM date_trunc('second', p_at))::bigint * 1000000
        + extract(microseconds FROM p_at)::bigint % 1000000)
        || '|' || (CASE WHEN p_subject IS NULL THEN '-' ELSE octet_length(p_subject) || ':' || p_subject END)
        || '|' || (CASE WHEN p_method IS NULL THEN '-' ELSE octet_length(p_method) || ':' || p_method END)
        || '|' || (CASE WHEN p_path IS NULL THEN '-' ELSE octet_length(p_path) || ':' || p_path END)
        || '|' || (CASE WHEN p_target_type IS NULL THEN '-' ELSE octet_length(p_target_type) || ':' || p_target_type END)
        || '|' || (CASE WHEN p_target_id IS NULL THEN '-' ELSE octet_length(p_target_id) || ':' || p_target_id END)
        || '|' || (CASE WHEN p_tenant_id IS NULL THEN '-' ELSE octet_length(p_tenant_id) || ':' || p_tenant_id END)
        || '|' || p_status, 'UTF8')
$$;

-- one row: the id and hash of the newest audit row (zero hash / id 0 before the first)
CREATE TABLE audit_chain_head (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    last_id   bigint NOT NULL,
    last_hash bytea  NOT NULL
);

-- existing rows are chained in id order
DO $$
DECLARE
    r    record;
    prev bytea := '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
    last bigint := 0;
BEGIN
    ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete;
    FOR r IN SELECT * FROM audit_event ORDER BY id LOOP
        UPDATE audit_event SET prev_hash = prev,
            row_hash = sha256(prev || audit_canonical(r.id, r.occurred_at, r.subject, r.method, r.path,
                r.target_type, r.target_id, r.tenant_id, r.status))
            WHERE id = r.id RETURNING row_hash INTO prev;
        last := r.id;
    END LOOP;
    ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_delete;
    INSERT INTO audit_chain_head VALUES (true, last, prev);
END
$$;

ALTER TABLE audit_event ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN row_hash SET NOT NULL;

-- the only way in: chains the row to the head under the head's row lock (held until the caller's
-- transaction ends; in autocommit that is this call)
CREATE FUNCTION audit_append(p_at timestamptz, p_subject text, p_method text, p_path text, p_target_type text,
                             p_target_id text, p_tenant_id text, p_status integer)
    RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_prev bytea;
    v_id   bigint;
    v_at   timestamptz := date_trunc('microseconds', p_at);
    v_hash bytea;
BEGIN
    SELECT last_hash INTO v_prev FROM "${flyway:defaultSchema}".audit_chain_head WHERE singleton FOR UPDATE;
    v_id := nextval('"${flyway:defaultSchema}".audit_event_id_seq');
    v_hash := sha256(v_prev || "${flyway:defaultSchema}".audit_canonical(v_id, v_at, p_subject, p_method, p_path, p_target_type,
        p_target_id, p_tenant_id, p_status));
    INSERT INTO "${flyway:defaultSchema}".audit_event (id, occurred_at, subject, method, path, target_type, target_id, tenant_id,
                                      status, prev_hash, row_hash)
        VALUES (v_id, v_at, p_subject, p_method, p_path, p_target_type, p_target_id, p_tenant_id, p_status,
                v_prev, v_hash);
    UPDATE "${flyway:defaultSchema}".audit_chain_head SET last_id = v_id, last_hash = v_hash WHERE singleton;
    RETURN v_id;
END
$$;

-- signed checkpoints of the head: signature = HMAC-SHA256 over "<head_id>|<head_hash hex>|<rows>|<epoch ms>"
CREATE TABLE audit_checkpoint (
    id         bigserial PRIMARY KEY,
    created_at timestamptz NOT NULL,
    head_id    bigint      NOT NULL,
    head_hash  bytea       NOT NULL,
    key_id     text        NOT NULL,
    signature  bytea       NOT NULL
);

CREATE FUNCTION audit_add_checkpoint(p_at timestamptz, p_head_id bigint, p_head_hash bytea, p_key_id text,
                                     p_signature bytea)
    RETURNS bigint LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    INSERT INTO "${flyway:defaultSchema}".audit_checkpoint (created_at, head_id, head_hash, key_id, signature)
        VALUES (p_at, p_head_id, p_head_hash, p_key_id, p_signature) RETURNING id
$$;

CREATE TRIGGER audit_checkpoint_no_update_delete BEFORE UPDATE OR DELETE ON audit_checkpoint
    FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only();
CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_is_append_only();

-- ownership: only a superuser can hand objects to a role it is not a member of
DO $$
DECLARE
    service text := '${auditServiceRole}';
BEGIN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RAISE NOTICE 'audit trail: % is not a superuser, so the audit tables stay owned by it (see audit-ops)', current_user;
        RETURN;
    END IF;
    BEGIN
        CREATE ROLE helios_audit_owner NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL; -- another database of this cluster created it
    END;
    ALTER TABLE audit_event OWNER TO helios_audit_owner;
    ALTER TABLE audit_chain_head OWNER TO helios_audit_owner;
    ALTER TABLE audit_checkpoint OWNER TO helios_audit_owner;
    ALTER FUNCTION audit_event_is_append_only() OWNER TO helios_audit_owner;
    ALTER FUNCTION audit_canonical(bigint, timestamptz, text, text, text, text, text, text, integer) OWNER TO helios_audit_owner;
    ALTER FUNCTION audit_append(timestamptz, text, text, text, text, text, text, integer) OWNER TO helios_audit_owner;
    ALTER FUNCTION audit_add_checkpoint(timestamptz, bigint, bytea, text, bytea) OWNER TO helios_audit_owner;
    REVOKE ALL ON audit_event, audit_chain_head, audit_checkpoint FROM PUBLIC;
    REVOKE EXECUTE ON FUNCTION audit_append(timestamptz, text, text, text, text, text, text, integer) FROM PUBLIC;
    REVOKE EXECUTE ON FUNCTION audit_add_checkpoint(timestamptz, bigint, bytea, text, bytea) FROM PUBLIC;
    IF service = '' OR NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = service) THEN
        RAISE NOTICE 'audit trail: service role "%" does not exist; grant it SELECT and EXECUTE by hand', service;
        RETURN;
    END IF;
    EXECUTE format('GRANT SELECT ON audit_event, audit_chain_head, audit_checkpoint TO %I', service);
    EXECUTE format('GRANT EXECUTE ON FUNCTION audit_append(timestamptz, text, text, text, text, text, text, integer),'
        ' audit_add_checkpoint(timestamptz, bigint, bytea, text, bytea), audit_canonical(bigint, timestamptz, text,'
        ' text, text, text, text, text, integer) TO %I', service);
END
$$;
