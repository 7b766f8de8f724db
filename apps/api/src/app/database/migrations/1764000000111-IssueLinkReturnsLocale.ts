import { MigrationInterface, QueryRunner } from 'typeorm';

/** The arguments of `issue_link` since AddResetCodes; unchanged here. */
const ISSUE_LINK_ARGS = `uuid, text, timestamptz, uuid, integer, integer, boolean, text, text,
  integer, inet, text, text`;

/**
 * `issue_link` of AddResetCodes, statement for statement, with or without the recipient's
 * `locale` among what it returns. The locale is read by the statement that locks the row and
 * reads the address, so an email goes out in the language of the row it is sent to, as it
 * goes to that row's address; an unknown address runs that same statement and finds no row,
 * so the work does not tell known from unknown any more than before (docs/architecture.md
 * §3 step 4, §12).
 */
function issueLinkSql(withLocale: boolean): string {
  const localeColumn = withLocale ? ',\n        locale text' : '';
  const lockedLocale = withLocale ? ' x.locale,' : '';
  const noLocale = withLocale ? ', NULL::text' : '';
  const issuedLocale = withLocale ? ',\n               CASE WHEN found_user THEN u.locale END' : '';
  return `
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
        revoked_purposes text[]${localeColumn}
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
        SELECT x.id, x.email, x.display_name,${lockedLocale}
               COALESCE(x.password_changed_at > p_requested_at, false) AS changed_since
          INTO u FROM users x
         WHERE (p_user_id IS NOT NULL AND x.id = p_user_id)
            OR (p_user_id IS NULL AND x.email = p_email)
           FOR UPDATE;
        found_user := FOUND AND (p_user_id IS NOT NULL OR u.email = p_email);
        IF NOT found_user AND NOT p_equal_work THEN
          RETURN QUERY SELECT 'no-user', NULL::text, NULL::text, NULL::timestamptz, NULL::text[]${noLocale};
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
          RETURN QUERY SELECT 'already-reset', NULL::text, NULL::text, NULL::timestamptz, NULL::text[]${noLocale};
          RETURN;
        END IF;
        IF found_user AND s.newer THEN
          RETURN QUERY SELECT 'superseded', NULL::text, NULL::text, NULL::timestamptz, NULL::text[]${noLocale};
          RETURN;
        END IF;
        IF found_user AND p_per_hour IS NOT NULL AND NOT s.retry
           AND (s.emails >= p_per_hour OR s.cooling) THEN
          RETURN QUERY SELECT 'rate-limited', NULL::text, NULL::text, NULL::timestamptz, NULL::text[]${noLocale};
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
               COALESCE((SELECT array_agg(r.purpose) FROM revoked r), '{}'::text[])${issuedLocale};
      END
      $fn$`;
}

/**
 * The language of a person's emails (docs/architecture.md §12): `issue_link` also returns
 * the locale of the user row it locked. A new column in a function's result changes its
 * type, so the function is dropped and created again, in this migration's transaction:
 * no worker sees it missing. Workers of the version before call it with the same
 * arguments and read the columns they know by name.
 */
export class IssueLinkReturnsLocale1764000000111 implements MigrationInterface {
  name = 'IssueLinkReturnsLocale1764000000111';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION issue_link(${ISSUE_LINK_ARGS})`);
    await queryRunner.query(issueLinkSql(true));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION issue_link(${ISSUE_LINK_ARGS})`);
    await queryRunner.query(issueLinkSql(false));
  }
}
