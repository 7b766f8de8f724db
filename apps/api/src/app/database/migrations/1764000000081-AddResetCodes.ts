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
 * newest open reset link of the account whose address this is; a wrong code counts
 * (five, and the code is dead; the link is not); the right one replaces the link's token
 * hash (the emailed link stops working) and spends the code. Outcomes `redeemed` or
 * `invalid`, alike for a wrong code, an unknown address and a dead request.
 *
 * `reset_code_tries` records every call by a keyed HMAC of the address: ten tries a day
 * per address, over all its requests (fresh emails bring fresh codes, and five a code alone
 * would allow 360 a day). Written on every call, so a call for an unknown address writes
 * WAL and waits for its flush like one that counts a wrong code: an earlier version that
 * only took a transaction id committed without a flush and answered about 1.4 ms sooner,
 * which reset-code-timing.e2e-spec.ts told apart 66 % of the time.
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
      CREATE TABLE reset_code_tries (
        address_hash char(64) NOT NULL,
        tried_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX idx_reset_code_tries_address ON reset_code_tries (address_hash, tried_at)`,
    );
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION redeem_reset_code(
        p_email text,            -- normalised address
        p_address_hash text,     -- keyed HMAC of that address
        p_code_hash text,        -- keyed HMAC of the code as typed
        p_new_token_hash text,   -- SHA-256 of the token handed out when the code is right
        p_max_attempts integer,  -- wrong codes one request's code survives
        p_daily_max integer      -- tries one address gets in 24 h, over all its requests
      ) RETURNS text LANGUAGE plpgsql VOLATILE AS $fn$
      DECLARE
        recent integer;
        redeemed boolean;
      BEGIN
        -- Every call records its try, whether the address has an account or not: each one
        -- writes WAL and waits for its flush at commit, and the daily cap counts addresses
        -- without an account too.
        INSERT INTO reset_code_tries (address_hash) VALUES (p_address_hash);
        SELECT count(*) INTO recent FROM reset_code_tries
         WHERE address_hash = p_address_hash AND tried_at > now() - interval '24 hours';
        -- One UPDATE decides: a wrong code counts, the right one swaps the token and spends
        -- the code. A parallel try waits for the row and re-checks the conditions on the
        -- version it then sees, so five tries a code is exact. No row: nothing is written
        -- beyond the try above, and the work differs by one row update.
        WITH target AS (
          SELECT t.id FROM users u JOIN password_reset_tokens t ON t.user_id = u.id
           WHERE u.email = p_email AND t.purpose = 'reset' AND t.code_hash IS NOT NULL
             AND t.used_at IS NULL AND t.revoked_at IS NULL AND t.expires_at > now()
           ORDER BY t.created_at DESC
           LIMIT 1
        )
        UPDATE password_reset_tokens t
           SET code_attempts = t.code_attempts
                 + CASE WHEN t.code_hash = p_code_hash THEN 0 ELSE 1 END,
               token_hash = CASE WHEN t.code_hash = p_code_hash
                                 THEN p_new_token_hash ELSE t.token_hash END,
               code_hash = CASE WHEN t.code_hash = p_code_hash THEN NULL ELSE t.code_hash END
          FROM target
         WHERE t.id = target.id AND recent <= p_daily_max
           AND t.code_hash IS NOT NULL AND t.code_attempts < p_max_attempts
           AND t.used_at IS NULL AND t.revoked_at IS NULL AND t.expires_at > now()
        RETURNING t.code_hash IS NULL INTO redeemed;
        RETURN CASE WHEN redeemed THEN 'redeemed' ELSE 'invalid' END;
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
