import { ISendMailOptions } from '@nestjs-modules/mailer';

import { MAIL_SUBJECTS, MailContexts, MailTemplateName } from './mail-templates';
import { MailTextRenderer } from './mail-text-renderer';

/** Line breaks, other control characters and Unicode line/paragraph separators. */
const CONTROL_CHARACTERS = /[\p{Cc}\p{Zl}\p{Zp}]+/gu;

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
 * Builds the `MailerService.sendMail` options of one email: subject, plain-text part rendered
 * here, and the template name and context from which the mailer's Handlebars adapter renders
 * the HTML part at send time.
 */
export class MailComposer {
  private readonly textRenderer: MailTextRenderer;

  constructor(templatesDir: string) {
    this.textRenderer = new MailTextRenderer(templatesDir);
  }

  compose<K extends MailTemplateName>(
    name: K,
    to: string,
    context: MailContexts[K],
  ): ISendMailOptions {
    const recipientName =
      context.recipientName === null ? null : toSingleLine(context.recipientName) || null;
    const safeContext: MailContexts[K] = { ...context, recipientName };
    const links: { link?: unknown; forgotPasswordLink?: unknown } = safeContext as object;
    if (typeof links.link === 'string') assertWebLink('link', links.link);
    if (typeof links.forgotPasswordLink === 'string') {
      assertWebLink('forgotPasswordLink', links.forgotPasswordLink);
    }

    const subject: (ctx: MailContexts[K]) => string = MAIL_SUBJECTS[name];
    return {
      to,
      subject: toSingleLine(subject(safeContext)),
      template: name,
      context: safeContext,
      text: this.textRenderer.render(name, safeContext),
    };
  }
}
