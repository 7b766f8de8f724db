import { ApiProcess, MailCatcher, PORTAL_URL, tokenFromMail } from '@account-recovery/testing';

import { Client } from 'pg';

import { createEmptyDatabase, runCli } from './support/cli-process';
import { isInvitation } from './support/mail-wait';
import { ROUTES } from './support/service-api';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** The operator commands of the built bundle, run as an operator would (the README's commands). */
describe('operator CLI', () => {
  const mail = new MailCatcher();
  let api: ApiProcess;

  beforeAll(async () => {
    await mail.start();
    api = await ApiProcess.start({ SMTP_URL: mail.url });
  });

  afterAll(async () => {
    await api?.stop();
    await mail.stop();
  });

  const cliEnv = (): Record<string, string> => ({
    NODE_ENV: 'test',
    DATABASE_URL: api.databaseUrl,
    SMTP_URL: mail.url,
    PORTAL_URL,
  });

  it('should create a user from the shell, print its id and send the invitation', async () => {
    const email = 'cli.user@example.com';
    const result = await runCli(['user:create', '--email', email, '--name', 'Cli User'], cliEnv());
    expect(result.code).toBe(0);
    const match = new RegExp(`Created user (${UUID}) <${email.replace(/\./g, '\\.')}>`).exec(
      result.stdout,
    );
    expect(match).not.toBeNull();
    const id = match?.[1];

    const [user] = await api.query(`SELECT id, email, display_name FROM users WHERE id = $1`, [id]);
    expect(user).toEqual({ id, email, display_name: 'Cli User' });
    const invitation = await mail.waitFor(email, { predicate: isInvitation });
    expect(invitation.text).toContain('Cli User');
    const token = tokenFromMail(invitation, PORTAL_URL);
    expect((await api.post(ROUTES.validate, { token })).status).toBe(200);
  });

  it('should refuse to create the same user twice and exit non-zero', async () => {
    const result = await runCli(['user:create', '--email', 'CLI.User@example.com'], cliEnv());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('already exists');
    expect(
      await api.query(`SELECT 1 FROM users WHERE email = 'cli.user@example.com'`),
    ).toHaveLength(1);
  });

  it('should refuse what the REST API refuses (bad address, CR/LF) and store nothing', async () => {
    for (const [email, name] of [
      ['not an email', 'Refused Person'],
      ['cli.crlf@example.com\r\nBcc: attacker@example.com', 'Refused Person'],
      ['cli.name@example.com', 'Refused\r\nBcc: attacker@example.com'],
    ]) {
      const result = await runCli(['user:create', '--email', email, '--name', name], cliEnv());
      expect(result.code).toBe(1);
      expect(result.stdout).not.toContain('Created user');
      expect(result.stderr).toContain('VALIDATION_FAILED');
    }
    expect(
      await api.query(
        `SELECT email FROM users WHERE display_name LIKE 'Refused%' OR email LIKE 'cli.%@%'`,
      ),
    ).toEqual([{ email: 'cli.user@example.com' }]);
  });

  it('should grant and revoke staff roles by address, each role once', async () => {
    const [{ id }] = await api.query<{ id: string }>(
      `INSERT INTO users (email) VALUES ('staff.cli@example.com') RETURNING id`,
    );
    const roles = async () =>
      (await api.query<{ roles: string[] }>(`SELECT roles FROM users WHERE id = $1`, [id]))[0]
        ?.roles;
    const grant = (...args: string[]) => runCli(['user:grant', ...args], cliEnv());

    const granted = await grant('--email', ' Staff.CLI@Example.com ', '--role', 'helpdesk');
    expect(granted.code).toBe(0);
    expect(granted.stdout).toContain(
      `Granted helpdesk to staff.cli@example.com (${id}); roles now: helpdesk`,
    );
    expect(granted.stderr).toContain('staff.cli@example.com has no second factor yet');
    expect((await grant('--email', 'staff.cli@example.com', '--role', 'helpdesk')).code).toBe(0);
    expect((await grant('--email', 'staff.cli@example.com', '--role', 'admin')).code).toBe(0);
    expect(await roles()).toEqual(['helpdesk', 'admin']);

    const revoked = await grant(
      '--email',
      'staff.cli@example.com',
      '--role',
      'helpdesk',
      '--revoke',
    );
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain('Revoked helpdesk from staff.cli@example.com');
    expect(await roles()).toEqual(['admin']);
  });

  it('should refuse an unknown address or role and change nothing', async () => {
    const unknown = await runCli(
      ['user:grant', '--email', 'nobody@example.com', '--role', 'admin'],
      cliEnv(),
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe('No user with the address nobody@example.com');
    for (const args of [
      ['--email', 'staff.cli@example.com', '--role', 'root'],
      ['--email', 'staff.cli@example.com'],
      ['--role', 'admin'],
    ]) {
      const refused = await runCli(['user:grant', ...args], cliEnv());
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('Usage:');
    }
    expect(await api.query(`SELECT email, roles FROM users WHERE roles <> '{}'`)).toEqual([
      { email: 'staff.cli@example.com', roles: ['admin'] },
    ]);
  });

  it('should migrate an empty database and apply nothing when run again', async () => {
    const database = await createEmptyDatabase();
    try {
      const env = { NODE_ENV: 'test', DATABASE_URL: database.url };
      const first = await runCli(['migrate'], env);
      expect(first.code).toBe(0);
      const applied = Number(/Applied (\d+) migration\(s\)/.exec(first.stdout)?.[1]);
      expect(applied).toBeGreaterThanOrEqual(1);

      const client = new Client({ connectionString: database.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ table: string }>(
          `SELECT table_schema || '.' || table_name AS table FROM information_schema.tables
            WHERE table_schema IN ('public', 'pgboss') ORDER BY 1`,
        );
        expect(rows.map((r) => r.table)).toEqual(
          expect.arrayContaining(['public.users', 'public.password_reset_tokens', 'pgboss.job']),
        );
        const recorded = await client.query('SELECT name FROM typeorm_migrations');
        expect(recorded.rows).toHaveLength(applied);
      } finally {
        await client.end();
      }

      const second = await runCli(['migrate'], env);
      expect(second.code).toBe(0);
      expect(second.stdout).toMatch(/Applied 0 migration\(s\)/);
    } finally {
      await database.drop();
    }
  });
});
