import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { MailerOptions, TransportType } from '@nestjs-modules/mailer';

import { HtmlMailAdapter } from './html-mail-adapter';
import { MailCatalogs } from './mail-catalogs';

export interface BuildMailerOptionsInput {
  /** The `mail` assets folder: `layouts/`, `partials/`, `templates/`, `text/`, `i18n/`. */
  templatesDir: string;
  /** An SMTP URL, a nodemailer transport options object or a transport instance. */
  transport: TransportType;
  /** Default `From` header, e.g. `Account Recovery <no-reply@example.com>`. */
  from: string;
}

/**
 * Options for `MailerModule.forRoot`: HTML from Handlebars templates in strict mode, wrapped in
 * the shared layout, with CSS from the layout's `<style>` inlined (media queries are kept).
 *
 * Everything is read from `templatesDir` only; at run time that is the build's assets folder.
 * Throws at once when a folder or the layout is missing.
 */
export function buildMailerOptions(input: BuildMailerOptionsInput): MailerOptions {
  return {
    transport: input.transport,
    // Base64 for the HTML and text parts: Buffer's native encoder, where quoted-printable
    // (nodemailer's default for text with long lines) scanned and encoded every character in
    // JavaScript. Both decode to the same text; the HTML's long lines made it quoted-printable.
    defaults: { from: input.from, textEncoding: 'base64' },
    template: {
      dir: join(input.templatesDir, 'templates'),
      adapter: htmlMailAdapter(input.templatesDir),
    },
  };
}

/**
 * The HTML renderer over the `mail` assets folder; throws when a folder, the layout or a
 * catalog is missing, or when the catalogs disagree (MailCatalogs.load).
 */
export function htmlMailAdapter(templatesDir: string, catalogs?: MailCatalogs): HtmlMailAdapter {
  const templateDir = join(templatesDir, 'templates');
  const partialsDir = join(templatesDir, 'partials');
  const layoutFile = join(templatesDir, 'layouts', 'main.hbs');
  for (const required of [templateDir, partialsDir, layoutFile, join(templatesDir, 'i18n')]) {
    if (!existsSync(required)) {
      throw new Error(`Mail templates not found: ${required} does not exist`);
    }
  }
  return new HtmlMailAdapter({
    templateDir,
    partialsDir,
    layoutFile,
    catalogs: catalogs ?? MailCatalogs.load(templatesDir),
  });
}
