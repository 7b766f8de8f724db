import { buildResetPasswordLink, normaliseEmail, PORTAL_ROUTES } from '@account-recovery/contracts';

import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';

import { AppConfig } from '../config/app-config';
import { MailSender } from '../mail/mail-sender.service';
import { CommonMailContext, formatMailTimestamp } from '../mail/mail-templates';
import { Metrics } from '../metrics/metrics.service';
import { AccountEmailJob, RequestMeta, TEMPLATE_OF } from '../queue/account-email.job';
import { JobQueue } from '../queue/job-queue.service';
import { ClaimedJob } from '../queue/job-worker';
import { User } from '../users/user.entity';
import { ResetTokenIssuer } from './reset-token-issuer.service';

/**
 * Turns queued email jobs into sent mail. Everything the forgot-password request must not
 * do happens here: the user lookup, the per-address limit, issuing the token, SMTP.
 * Any throw (SMTP down, database blip) fails the job and pg-boss retries it with back-off;
 * a retry issues a fresh link, which revokes the one from the failed attempt.
 */
@Injectable()
export class AccountEmailWorker implements OnApplicationBootstrap {
  private readonly logger = new Logger(AccountEmailWorker.name);
  private readonly config: AppConfig;

  constructor(
    private readonly queue: JobQueue,
    private readonly issuer: ResetTokenIssuer,
    private readonly mail: MailSender,
    @InjectRepository(User) private readonly users: Repository<User>,
    @Inject(ConfigService) config: ConfigService<AppConfig, true>,
    private readonly metrics: Metrics,
  ) {
    this.config = {
      auth: config.get('auth', { infer: true }),
      mail: config.get('mail', { infer: true }),
      http: config.get('http', { infer: true }),
    } as AppConfig;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.work(
      async ({ id, data, retryCount }) => {
        const template = TEMPLATE_OF[data.kind];
        if (retryCount > 0) this.metrics.emails.inc({ template, outcome: 'retried' });
        try {
          await this.handle(id, data);
        } catch (error) {
          // Thrown on to pg-boss, which schedules the retry.
          this.metrics.emails.inc({ template, outcome: 'failed' });
          this.logger.warn(`${template} email attempt failed: ${(error as Error).message}`);
          throw error;
        }
      },
      (jobs) => this.settleUnknownAddresses(jobs),
    );
  }

  /**
   * Reset requests for addresses without an account need nothing but a lookup. Done for a
   * whole claimed batch in one query, a flood of unknown addresses costs the database one
   * statement per batch instead of three per request, and leaves the cores to the requests.
   */
  private async settleUnknownAddresses(jobs: ClaimedJob<AccountEmailJob>[]): Promise<Set<string>> {
    const requests = jobs.filter((job) => job.data.kind === 'reset-request');
    if (requests.length === 0) return new Set();
    const emails = requests.map((job) => normaliseEmail((job.data as { email: string }).email));
    const known = new Set(
      (
        (await this.users.query(`SELECT email FROM users WHERE email = ANY($1)`, [emails])) as {
          email: string;
        }[]
      ).map((row) => row.email),
    );
    const settled = new Set(requests.filter((_, i) => !known.has(emails[i])).map((job) => job.id));
    if (settled.size > 0) this.metrics.resetRequests.inc({ outcome: 'no_account' }, settled.size);
    return settled;
  }

  async handle(jobId: string, job: AccountEmailJob): Promise<void> {
    switch (job.kind) {
      case 'reset-request': {
        const user = await this.users.findOneBy({ email: normaliseEmail(job.email) });
        if (!user) {
          // Nothing to send; the requester was told the same as everyone.
          this.metrics.resetRequests.inc({ outcome: 'no_account' });
          return;
        }
        const { resetEmailsPerHour, resetEmailCooldownSeconds } = this.config.auth;
        await this.sendLink(jobId, user, 'reset', job, {
          perHour: resetEmailsPerHour,
          cooldownSeconds: resetEmailCooldownSeconds,
        });
        return;
      }
      case 'forced-reset':
      case 'invitation': {
        const user = await this.users.findOneBy({ id: job.userId });
        if (!user) return; // Deleted since; nothing to send.
        await this.sendLink(jobId, user, job.kind === 'invitation' ? 'invite' : 'reset', job);
        return;
      }
      case 'password-changed': {
        const user = await this.users.findOneBy({ id: job.userId });
        if (!user) return;
        await this.mail.send('password-changed', user.email, {
          ...this.commonContext(user, job),
          changedAt: formatMailTimestamp(new Date(job.requestedAt)),
          forgotPasswordLink: new URL(
            PORTAL_ROUTES.forgotPassword,
            `${this.config.http.portalUrl}/`,
          ).toString(),
        });
        return;
      }
      case 'email-changed': {
        const user = await this.users.findOneBy({ id: job.userId });
        await this.mail.send('email-changed', job.oldEmail, {
          ...this.commonContext(user, job),
          changedAt: formatMailTimestamp(new Date(job.requestedAt)),
          newEmail: job.newEmail,
        });
        return;
      }
      default: {
        const unknown: never = job;
        this.logger.warn(`dropping a job of unknown kind ${(unknown as { kind?: string }).kind}`);
      }
    }
  }

  private async sendLink(
    jobId: string,
    user: User,
    purpose: 'reset' | 'invite',
    meta: RequestMeta,
    limit?: { perHour: number; cooldownSeconds: number },
  ): Promise<void> {
    const ttlSeconds =
      purpose === 'invite'
        ? this.config.auth.inviteTokenTtlHours * 3600
        : this.config.auth.resetTokenTtlMinutes * 60;
    const result = await this.issuer.issue({
      userId: user.id,
      purpose,
      ttlSeconds,
      ip: meta.ip,
      userAgent: meta.userAgent,
      deliveryJobId: jobId,
      requestedAt: new Date(meta.requestedAt),
      limit,
    });
    if (!result.issued) {
      // Over the per-address limit, or a newer request already has its link: nothing to send.
      if (limit) this.metrics.resetRequests.inc({ outcome: result.reason.replace('-', '_') });
      return;
    }
    const link = buildResetPasswordLink(this.config.http.portalUrl, result.rawToken);
    const expiresInMinutes = Math.round(ttlSeconds / 60);
    // Always the stored, normalised address: never what the requester typed.
    if (purpose === 'invite') {
      const hours = this.config.auth.inviteTokenTtlHours;
      await this.mail.send('invitation', user.email, {
        ...this.commonContext(user, meta),
        link,
        expiresInMinutes,
        expiresInText:
          hours % 24 === 0 ? `${hours / 24} day${hours === 24 ? '' : 's'}` : `${hours} hours`,
      });
    } else {
      await this.mail.send('reset-password', user.email, {
        ...this.commonContext(user, meta),
        link,
        expiresInMinutes,
      });
      if (limit) this.metrics.resetRequests.inc({ outcome: 'emailed' });
    }
  }

  private commonContext(user: User | null, meta: RequestMeta): CommonMailContext {
    return {
      productName: this.config.mail.productName,
      supportEmail: this.config.mail.supportEmail,
      recipientName: user?.displayName ?? null,
      requestedAt: formatMailTimestamp(new Date(meta.requestedAt)),
      requestIp: meta.ip,
    };
  }
}
