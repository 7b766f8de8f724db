import { MigrationInterface, QueryRunner } from 'typeorm';

import { CreateIssueLinkFunction1764000000070 } from './1764000000070-CreateIssueLinkFunction';

const ISSUE_LINK_V1_ARGS = `uuid, text, timestamptz, uuid, integer, integer, boolean, text, text,
  integer, inet, text`;

/**
 * Code recovery (docs/architecture.md §9): every reset email carries an 8-digit code beside
 * its link.
 *
 * `issue_link` gains `p_code_hash`, stored with the link it issues; otherwise it is the
 * function of CreateIssueLinkFunction, statement for statement (see there why that order).
 *
 * `redeem_reset_code` exchanges address + code for a new token of the same request: the
 * newest open reset link of the account whose address this is, locked; a wrong code counts
 * (five, and the code is dead; the link is not; ten over all of the account's requests
 * of a day, as fresh emails bring fresh codes); the right one replaces the link's token
 * hash (the emailed link stops working) and spends the code. Outcomes `redeemed` or
 * `invalid`, alike for a wrong code, an unknown address and a dead request. Every call
 * takes a transaction id, so each commits a WAL record and waits for its flush: a call
 * that finds nothing to write is not a flush faster than one that counts a wrong code.
 */
export class AddResetCodes1764000000081 implements MigrationInterface {
  name = 'AddResetCodes1764000000081';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION IF EXISTS issue_link(${ISSUE_LINK_V1_ARGS})`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION issue_link(
        p_user_id uuid,             -- the user by id (invitations, forced resets), or NULL
        p_email text,               -- or the user whose address this is when its row is locked
        p_requested_at timestamptz, -- when the person or service asked
        p_delivery_job_id uuid,     -- the email job; its earlier attempts are retries
        p_per_hour integer,         -- per-address limit of reset emails, NULL for none
        p_cooldown_seconds integer,
        p_equal_work boolean,       -- no such user: run every statement anyway
        p_token_hash text,
        p_purpose text,
        p_ttl_seconds integer,
        p_ip inet,
        p_user_agent text,
        p_code_hash text            -- keyed HMAC of the emailed 8-digit code
      ) RETURNS TABLE (
        outcome text,
        email text,
        display_name text,
        expires_at timestamptz,
        revoked_purposes text[]
      ) LANGUAGE plpgsql VOLATILE AS $fn$
      #variable_conflict use_column
      DECLARE
        u record;
        found_user boolean;
        s record;
        uid uuid;
      BEGIN
        -- Lock the row and read what the link depends on. PostgreSQL re-checks the condition
        -- on a row it waited for; the address is compared again so that never depends on it.
        SELECT x.id, x.email, x.display_name,
               COALESCE(x.password_changed_at > p_requested_at, false) AS changed_since
          INTO u FROM users x
         WHERE (p_user_id IS NOT NULL AND x.id = p_user_id)
            OR (p_user_id IS NULL AND x.email = p_email)
           FOR UPDATE;
        found_user := FOUND AND (p_user_id IS NOT NULL OR u.email = p_email);
        IF NOT found_user AND NOT p_equal_work THEN
          RETURN QUERY SELECT 'no-user', NULL::text, NULL::text, NULL::timestamptz, NULL::text[];
          RETURN;
        END IF;
        uid := CASE WHEN found_user THEN u.id ELSE '00000000-0000-0000-0000-000000000000'::uuid END;

        -- What earlier attempts of this delivery did, whether a newer request already has its
        -- link, and the per-address usage of the last hour (NULL job id: no earlier attempt).
        SELECT count(*) FILTER (WHERE t.delivery_job_id = p_delivery_job_id) > 0 AS retry,
               COALESCE(bool_or(t.used_at IS NOT NULL)
                 FILTER (WHERE t.delivery_job_id = p_delivery_job_id), false) AS used,
               COALESCE(bool_or(t.created_at > p_requested_at
                 AND t.delivery_job_id IS DISTINCT FROM p_delivery_job_id), false) AS newer,
               count(DISTINCT COALESCE(t.delivery_job_id, t.id))
                 FILTER (WHERE t.purpose = 'reset' AND t.created_at > now() - interval '1 hour')::int
                 AS emails,
               COALESCE(max(t.created_at)
                 FILTER (WHERE t.purpose = 'reset' AND t.created_at > now() - interval '1 hour')
                 > now() - make_interval(secs => COALESCE(p_cooldown_seconds, 0)), false) AS cooling
          INTO s FROM password_reset_tokens t WHERE t.user_id = uid;

        IF found_user AND (u.changed_since OR s.used) THEN
          RETURN QUERY SELECT 'already-reset', NULL::text, NULL::text, NULL::timestamptz, NULL::text[];
          RETURN;
        END IF;
        IF found_user AND s.newer THEN
          RETURN QUERY SELECT 'superseded', NULL::text, NULL::text, NULL::timestamptz, NULL::text[];
          RETURN;
        END IF;
        IF found_user AND p_per_hour IS NOT NULL AND NOT s.retry
           AND (s.emails >= p_per_hour OR s.cooling) THEN
          RETURN QUERY SELECT 'rate-limited', NULL::text, NULL::text, NULL::timestamptz, NULL::text[];
          RETURN;
        END IF;

        -- Revoke the earlier links and insert the new one in one statement: both see the same
        -- snapshot, so the new link is not among those revoked.
        RETURN QUERY
        WITH revoked AS (
          UPDATE password_reset_tokens t SET revoked_at = now()
           WHERE t.user_id = uid AND t.used_at IS NULL AND t.revoked_at IS NULL
          RETURNING t.purpose
        ), issued AS (
          INSERT INTO password_reset_tokens
                 (user_id, token_hash, purpose, created_at, expires_at, requested_ip, user_agent,
                  delivery_job_id, code_hash)
          SELECT uid, p_token_hash, p_purpose, LEAST(p_requested_at, now()),
                 now() + make_interval(secs => p_ttl_seconds), p_ip, p_user_agent, p_delivery_job_id,
                 p_code_hash
           WHERE found_user
          RETURNING password_reset_tokens.expires_at
        )
        SELECT CASE WHEN found_user THEN 'issued' ELSE 'no-user' END,
               CASE WHEN found_user THEN u.email END,
               CASE WHEN found_user THEN u.display_name END,
               (SELECT i.expires_at FROM issued i),
               COALESCE((SELECT array_agg(r.purpose) FROM revoked r), '{}'::text[]);
      END
      $fn$`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION redeem_reset_code(
        p_email text,            -- normalised address
        p_code_hash text,        -- keyed HMAC of the code as typed
        p_new_token_hash text,   -- SHA-256 of the token handed out when the code is right
        p_max_attempts integer,  -- wrong codes one request's code survives
        p_daily_max integer      -- wrong codes all of an account's requests of 24 h survive
      ) RETURNS text LANGUAGE plpgsql VOLATILE AS $fn$
      DECLARE
        r record;
        recent integer;
      BEGIN
        PERFORM pg_current_xact_id();
        SELECT t.id, t.user_id, t.code_hash, t.code_attempts INTO r
          FROM users u JOIN password_reset_tokens t ON t.user_id = u.id
         WHERE u.email = p_email AND t.purpose = 'reset' AND t.code_hash IS NOT NULL
           AND t.used_at IS NULL AND t.revoked_at IS NULL AND t.expires_at > now()
         ORDER BY t.created_at DESC
         LIMIT 1
           FOR UPDATE OF t;
        IF NOT FOUND OR r.code_attempts >= p_max_attempts THEN
          RETURN 'invalid';
        END IF;
        -- Fresh emails bring fresh codes: the account's wrong codes of a day are capped too.
        SELECT COALESCE(sum(t.code_attempts), 0) INTO recent FROM password_reset_tokens t
         WHERE t.user_id = r.user_id AND t.created_at > now() - interval '24 hours';
        IF recent >= p_daily_max THEN
          RETURN 'invalid';
        END IF;
        IF r.code_hash = p_code_hash THEN
          UPDATE password_reset_tokens SET token_hash = p_new_token_hash, code_hash = NULL
           WHERE id = r.id;
          RETURN 'redeemed';
        END IF;
        UPDATE password_reset_tokens SET code_attempts = code_attempts + 1 WHERE id = r.id;
        RETURN 'invalid';
      END
      $fn$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP FUNCTION IF EXISTS redeem_reset_code(text, text, text, integer, integer)`,
    );
    await queryRunner.query(`DROP FUNCTION IF EXISTS issue_link(${ISSUE_LINK_V1_ARGS}, text)`);
    await new CreateIssueLinkFunction1764000000070().up(queryRunner);
  }
}
