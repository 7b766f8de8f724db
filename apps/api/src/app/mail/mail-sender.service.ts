import { MailerService } from '@nestjs-modules/mailer';
import { Inject, Injectable } from '@nestjs/common';

import { Metrics } from '../metrics/metrics.service';
import { MailComposer } from './mail-composer';
import { MailContexts, MailTemplateName } from './mail-templates';

export const MAIL_COMPOSER = Symbol('MAIL_COMPOSER');

/** Renders and sends one email. Throws on SMTP failure so the queue retries the job. */
@Injectable()
export class MailSender {
  constructor(
    private readonly mailer: MailerService,
    @Inject(MAIL_COMPOSER) private readonly composer: MailComposer,
    private readonly metrics: Metrics,
  ) {}

  async send<K extends MailTemplateName>(
    name: K,
    to: string,
    context: MailContexts[K],
  ): Promise<void> {
    await this.mailer.sendMail(this.composer.compose(name, to, context));
    this.metrics.emails.inc({ template: name, outcome: 'sent' });
  }
}
