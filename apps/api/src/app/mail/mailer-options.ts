import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { MailerOptions, TransportType } from '@nestjs-modules/mailer';
import { HandlebarsAdapter } from '@nestjs-modules/mailer/adapters/handlebars.adapter';

/**
 * The adapter joins `options.layout` onto `template.dir` (`path.join(dir, layout + '.hbs')`),
 * so the layout under `<templatesDir>/layouts` is named relative to `<templatesDir>/templates`.
 */
export const MAIL_LAYOUT = '../layouts/main';

/** Compile options of every HTML template and partial: a missing field throws. */
const HTML_COMPILE_OPTIONS = { strict: true } as const;

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
 * Throws at once when a folder or the layout is missing, because the adapter silently sends
 * the body without its layout when it cannot read the layout file.
 */
export function buildMailerOptions(input: BuildMailerOptionsInput): MailerOptions {
  const templateDir = join(input.templatesDir, 'templates');
  const partialsDir = join(input.templatesDir, 'partials');
  const layoutFile = join(templateDir, `${MAIL_LAYOUT}.hbs`);
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
      adapter: new HandlebarsAdapter(undefined, {
        inlineCssEnabled: true,
        inlineCssOptions: { keepAtRules: true, loadRemoteStylesheets: false },
      }),
      options: HTML_COMPILE_OPTIONS,
    },
    options: {
      layout: MAIL_LAYOUT,
      // `options` here is how the adapter compiles each partial: strict like the templates.
      partials: { dir: partialsDir, options: HTML_COMPILE_OPTIONS },
    },
  };
}
