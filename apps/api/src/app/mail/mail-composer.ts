import { ISendMailOptions } from '@nestjs-modules/mailer';

import { MailCatalogs } from './mail-catalogs';
import {
  MAIL_SUBJECT_KEYS,
  MailContexts,
  MailTemplateName,
  RenderedMailContext,
} from './mail-templates';
import { MailTextRenderer } from './mail-text-renderer';

/** Line breaks, other control characters and Unicode line/paragraph separators. */
const CONTROL_CHARACTERS = /[\p{Cc}\p{Zl}\p{Zp}]+/gu;

const MINUTES_PER_HOUR = 60;
const MINUTES_PER_DAY = 24 * MINUTES_PER_HOUR;

/** Folds a value that goes into a header or a single line of text onto one line. */
function toSingleLine(value: string): string {
  return value
    .replace(CONTROL_CHARACTERS, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

/** Links in emails come from configuration; anything but http(s) is a bug, not a link to send. */
function assertWebLink(field: string, value: string): void {
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    throw new Error(`Mail context field "${field}" is not a valid URL`);
  }
  if (protocol !== 'https:' && protocol !== 'http:') {
    throw new Error(`Mail context field "${field}" must be an http(s) URL`);
  }
}

/**
 * Builds the `MailerService.sendMail` options of one email: subject and plain-text part
 * rendered here in the context's locale, and the template name and context from which the
 * mailer's Handlebars adapter renders the HTML part at send time.
 */
export class MailComposer {
  private readonly textRenderer: MailTextRenderer;

  constructor(
    templatesDir: string,
    private readonly catalogs: MailCatalogs = MailCatalogs.load(templatesDir),
  ) {
    this.textRenderer = new MailTextRenderer(templatesDir, catalogs);
  }

  compose<K extends MailTemplateName>(
    name: K,
    to: string,
    context: MailContexts[K],
  ): ISendMailOptions {
    const recipientName =
      context.recipientName === null ? null : toSingleLine(context.recipientName) || null;
    const safeContext = { ...context, recipientName } as RenderedMailContext<K>;
    const fields: { link?: unknown; forgotPasswordLink?: unknown; expiresInMinutes?: unknown } =
      safeContext as object;
    if (typeof fields.link === 'string') assertWebLink('link', fields.link);
    if (typeof fields.forgotPasswordLink === 'string') {
      assertWebLink('forgotPasswordLink', fields.forgotPasswordLink);
    }
    if (typeof fields.expiresInMinutes === 'number') {
      safeContext.expiresIn = this.duration(context, fields.expiresInMinutes);
    }

    const subjectKey: (ctx: MailContexts[K]) => string = MAIL_SUBJECT_KEYS[name];
    const subject = this.catalogs.text(context.locale, subjectKey(safeContext), {
      productName: safeContext.productName,
    });
    return {
      to,
      subject: toSingleLine(subject),
      template: name,
      context: safeContext,
      text: this.textRenderer.render(name, safeContext),
    };
  }

  /** "15 minutes", "3 days": the largest whole unit, in the email's locale. */
  private duration(context: MailContexts[MailTemplateName], minutes: number): string {
    const [key, count] =
      minutes > 0 && minutes % MINUTES_PER_DAY === 0
        ? ['common.duration.days', minutes / MINUTES_PER_DAY]
        : minutes > 0 && minutes % MINUTES_PER_HOUR === 0
          ? ['common.duration.hours', minutes / MINUTES_PER_HOUR]
          : ['common.duration.minutes', minutes];
    return this.catalogs.text(context.locale, key, { count });
  }
}
