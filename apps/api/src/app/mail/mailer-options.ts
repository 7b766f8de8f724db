import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { MailerOptions, TransportType } from '@nestjs-modules/mailer';

import { HtmlMailAdapter } from './html-mail-adapter';

export interface BuildMailerOptionsInput {
  /** The `mail` assets folder: `layouts/`, `partials/`, `templates/`, `text/`. */
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
  const templateDir = join(input.templatesDir, 'templates');
  const partialsDir = join(input.templatesDir, 'partials');
  const layoutFile = join(input.templatesDir, 'layouts', 'main.hbs');
  for (const required of [templateDir, partialsDir, layoutFile]) {
    if (!existsSync(required)) {
      throw new Error(`Mail templates not found: ${required} does not exist`);
    }
  }

  return {
    transport: input.transport,
    defaults: { from: input.from },
    template: {
      dir: templateDir,
      adapter: new HtmlMailAdapter({ templateDir, partialsDir, layoutFile }),
    },
  };
}
