import { MailerService } from '@nestjs-modules/mailer';
import { Inject, Injectable } from '@nestjs/common';

import { Metrics } from '../metrics/metrics.service';
import { HtmlMailAdapter } from './html-mail-adapter';
import { MailComposer } from './mail-composer';
import { MailContexts, MailTemplateName } from './mail-templates';

export const MAIL_COMPOSER = Symbol('MAIL_COMPOSER');
/** An HTML renderer like the mailer's own, for rehearsals (see `rehearse`). */
export const MAIL_HTML = Symbol('MAIL_HTML');

/**
 * Renders and sends one email. Throws on SMTP failure so the queue retries the job, and when
 * `signal` aborts first (the job's claim is running out): the job is then failed and retried,
 * never left to expire while a send hangs.
 */
@Injectable()
export class MailSender {
  constructor(
    private readonly mailer: MailerService,
    @Inject(MAIL_COMPOSER) private readonly composer: MailComposer,
    private readonly metrics: Metrics,
    @Inject(MAIL_HTML) private readonly html: HtmlMailAdapter,
  ) {}

  /**
   * Everything `send` does before SMTP (text and HTML rendered), then nothing: the work of
   * an email for a request that will get none, so the two cost the same CPU.
   */
  rehearse<K extends MailTemplateName>(name: K, to: string, context: MailContexts[K]): void {
    const message = this.composer.compose(name, to, context);
    const data = {
      template: message.template,
      context: message.context as Record<string, unknown>,
    };
    this.html.compile({ data }, (error) => {
      if (error) throw error;
    });
  }

  async send<K extends MailTemplateName>(
    name: K,
    to: string,
    context: MailContexts[K],
    signal?: AbortSignal,
  ): Promise<void> {
    const message = this.composer.compose(name, to, context);
    signal?.throwIfAborted();
    const sent = this.mailer.sendMail(message);
    await (signal ? untilAborted(sent, signal) : sent);
    this.metrics.emails.inc({ template: name, outcome: 'sent' });
  }
}

/** `work`, or a rejection with the signal's reason as soon as it aborts. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
