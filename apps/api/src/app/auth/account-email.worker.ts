import {
  buildResetPasswordLink,
  isLocale,
  Locale,
  normaliseEmail,
  PORTAL_ROUTES,
} from '@account-recovery/contracts';

import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';

import { inetAddress } from '../common/http/client-ip';
import { AppConfig } from '../config/app-config';
import { originOf, SYSTEM_ORIGIN } from '../events/event-context';
import { SecurityEvents } from '../events/security-events.service';
import { MailSender } from '../mail/mail-sender.service';
import { CommonMailContext, formatMailTimestamp } from '../mail/mail-templates';
import { Metrics } from '../metrics/metrics.service';
import { generateResetCode } from '../mfa/one-time-codes';
import { AccountEmailJob, RequestMeta, TEMPLATE_OF } from '../queue/account-email.job';
import { JobQueue } from '../queue/job-queue.service';
import { User } from '../users/user.entity';
import {
  IssueTokenRefusal,
  IssueTokenRequest,
  ResetTokenIssuer,
} from './reset-token-issuer.service';
import { generateRawToken } from './reset-token.crypto';

/**
 * Turns queued email jobs into sent mail. Everything the forgot-password request must not
 * do happens here: the user lookup, the per-address limit, issuing the token, SMTP.
 * Any throw (SMTP down, database blip) fails the job and pg-boss retries it with back-off;
 * a retry issues a fresh link, which revokes the one from the failed attempt, unless the
 * person has reset since the request (then it sends nothing: see ResetTokenIssuer).
 * A job whose claim is running out (its signal) stops before it sends.
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
    private readonly events: SecurityEvents,
  ) {
    this.config = {
      auth: config.get('auth', { infer: true }),
      mail: config.get('mail', { infer: true }),
      http: config.get('http', { infer: true }),
    } as AppConfig;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.work(async ({ id, data, retryCount, signal, drained }) => {
      const template = TEMPLATE_OF[data.kind];
      if (retryCount > 0) this.metrics.emails.inc({ template, outcome: 'retried' });
      try {
        await this.handle(id, data, signal, drained);
      } catch (error) {
        // Thrown on to pg-boss, which schedules the retry.
        this.metrics.emails.inc({ template, outcome: 'failed' });
        this.logger.warn(`${template} email attempt failed: ${(error as Error).message}`);
        throw error;
      }
    });
  }

  /**
   * @param drained nothing else was waiting when this job was claimed: a request for an
   * address without an account then costs what one with an account costs, short of SMTP
   * (the same statements, the email rendered). In a backlog it is cheap; a flood of unknown
   * addresses does not even get here: the intake's mover settles it set-wise
   * (queue/reset-intake.ts), so it cannot hold up real email.
   */
  async handle(
    jobId: string,
    job: AccountEmailJob,
    signal: AbortSignal,
    drained = false,
  ): Promise<void> {
    switch (job.kind) {
      case 'reset-request': {
        // Looked up by the typed address under the row lock (ResetTokenIssuer): an account
        // whose address changed meanwhile is not this request's any more.
        const { resetEmailsPerHour, resetEmailCooldownSeconds } = this.config.auth;
        const email = normaliseEmail(job.email);
        const limit = { perHour: resetEmailsPerHour, cooldownSeconds: resetEmailCooldownSeconds };
        const sent = await this.sendLink(jobId, { email }, 'reset', job, signal, limit, drained);
        if (sent === 'no-user' && drained) this.rehearseResetEmail(email, job);
        return;
      }
      case 'forced-reset':
      case 'invitation': {
        const purpose = job.kind === 'invitation' ? 'invite' : 'reset';
        await this.sendLink(jobId, { id: job.userId }, purpose, job, signal);
        return;
      }
      case 'password-changed': {
        const user = await this.users.findOneBy({ id: job.userId });
        if (!user) return;
        const common = this.commonContext(user, job);
        await this.mail.send(
          'password-changed',
          user.email,
          {
            ...common,
            changedAt: formatMailTimestamp(new Date(job.requestedAt), common.locale),
            forgotPasswordLink: this.forgotPasswordLink(),
          },
          signal,
        );
        return;
      }
      case 'mfa-changed': {
        const user = await this.users.findOneBy({ id: job.userId });
        if (!user) return;
        const common = this.commonContext(user, job);
        await this.mail.send(
          'mfa-changed',
          user.email,
          {
            ...common,
            changedAt: formatMailTimestamp(new Date(job.requestedAt), common.locale),
            forgotPasswordLink: this.forgotPasswordLink(),
            enabled: job.change === 'enabled',
            disabled: job.change === 'disabled',
            resetByHelpDesk: job.change === 'reset',
            recoveryCodes: job.change === 'recovery-codes',
          },
          signal,
        );
        return;
      }
      case 'reset-locked': {
        const user = await this.users.findOneBy({ id: job.userId });
        if (!user) return;
        await this.mail.send(
          'reset-locked',
          user.email,
          { ...this.commonContext(user, job), forgotPasswordLink: this.forgotPasswordLink() },
          signal,
        );
        return;
      }
      case 'email-changed': {
        const user = await this.users.findOneBy({ id: job.userId });
        const common = this.commonContext(user, job);
        await this.mail.send(
          'email-changed',
          job.oldEmail,
          {
            ...common,
            changedAt: formatMailTimestamp(new Date(job.requestedAt), common.locale),
            newEmail: job.newEmail,
          },
          signal,
        );
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
    user: IssueTokenRequest['user'],
    purpose: 'reset' | 'invite',
    meta: RequestMeta,
    signal: AbortSignal,
    limit?: { perHour: number; cooldownSeconds: number },
    equalWorkIfUnknown = false,
  ): Promise<'sent' | IssueTokenRefusal> {
    const ttlSeconds =
      purpose === 'invite'
        ? this.config.auth.inviteTokenTtlHours * 3600
        : this.config.auth.resetTokenTtlMinutes * 60;
    // A link issued now but never sent would revoke the one a retry sends: stop before.
    signal.throwIfAborted();
    const result = await this.issuer.issue({
      user,
      purpose,
      ttlSeconds,
      ip: meta.ip,
      userAgent: meta.userAgent,
      deliveryJobId: jobId,
      requestedAt: new Date(meta.requestedAt),
      limit,
      equalWorkIfUnknown,
      // A person's request by address is recorded where it is decided; a forced reset or an
      // invitation was recorded when it was asked for (users.service).
      audit: limit ? originOf(meta) : undefined,
    });
    if (!result.issued) {
      // No account has the address (the requester was told the same as everyone), over the
      // per-address limit, a newer request already has its link, or the person has reset
      // since: nothing to send.
      if (limit) {
        const outcome =
          result.reason === 'no-user' ? 'no_account' : result.reason.replace('-', '_');
        this.metrics.resetRequests.inc({ outcome });
        // For whoever wonders why no email came (no address: the log must not tell who).
        if (result.reason === 'rate-limited')
          this.logger.debug('reset email not sent: the address is over its hourly limit');
      }
      return result.reason;
    }
    const { recipient } = result;
    const link = buildResetPasswordLink(this.config.http.portalUrl, result.rawToken);
    const expiresInMinutes = Math.round(ttlSeconds / 60);
    // Always the address read under the row lock that issued the link: never what the
    // requester typed, nor what an earlier read saw.
    if (purpose === 'invite') {
      await this.mail.send(
        'invitation',
        recipient.email,
        { ...this.commonContext(recipient, meta), link, expiresInMinutes },
        signal,
      );
    } else {
      await this.mail.send(
        'reset-password',
        recipient.email,
        { ...this.commonContext(recipient, meta), link, expiresInMinutes, code: result.code },
        signal,
      );
      if (limit) this.metrics.resetRequests.inc({ outcome: 'emailed' });
    }
    // Once SMTP has accepted it: there is no change to commit with.
    // Not thrown on: a failed job would be retried and email the person again.
    await this.events
      .record({
        type: 'reset.email_sent',
        userId: result.userId,
        ...SYSTEM_ORIGIN,
        details: { purpose },
      })
      .catch((error: Error) => this.logger.warn(`email_sent event not recorded: ${error.message}`));
    return 'sent';
  }

  /**
   * The reset email a known address would get, rendered and dropped (see `handle`), in the
   * language a known address without a stored locale would get: the request's.
   */
  private rehearseResetEmail(email: string, meta: RequestMeta): void {
    this.mail.rehearse('reset-password', email, {
      ...this.commonContext(null, meta),
      link: buildResetPasswordLink(this.config.http.portalUrl, generateRawToken()),
      expiresInMinutes: this.config.auth.resetTokenTtlMinutes,
      code: generateResetCode(),
    });
  }

  private forgotPasswordLink(): string {
    return new URL(PORTAL_ROUTES.forgotPassword, `${this.config.http.portalUrl}/`).toString();
  }

  /**
   * What every email shows, in the language of the email (docs/architecture.md §12): the
   * person's stored locale (read with the row the email goes to), else the one negotiated
   * from the Accept-Language of the request that caused it, else DEFAULT_LOCALE. A value
   * that is not a shipped locale (a job or a row from before a locale was removed) counts
   * as none.
   */
  private commonContext(
    user: { displayName: string | null; locale: string | null } | null,
    meta: RequestMeta,
  ): CommonMailContext {
    const stored = user?.locale;
    const locale: Locale = isLocale(stored)
      ? stored
      : isLocale(meta.locale)
        ? meta.locale
        : this.config.mail.defaultLocale;
    return {
      locale,
      productName: this.config.mail.productName,
      supportEmail: this.config.mail.supportEmail,
      recipientName: user?.displayName ?? null,
      requestedAt: formatMailTimestamp(new Date(meta.requestedAt), locale),
      // The address the token row records (a job queued before the check may carry a zone).
      requestIp: inetAddress(meta.ip),
    };
  }
}
