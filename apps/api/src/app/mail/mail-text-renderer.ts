import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import Handlebars from 'handlebars';

import { MailContexts, MailTemplateName } from './mail-templates';

const TEXT_EXTENSION = '.txt.hbs';

/** Plain text: nothing to escape, and a missing field throws like in the HTML templates. */
const TEXT_COMPILE_OPTIONS: CompileOptions = { strict: true, noEscape: true };

/**
 * Renders the plain-text part of each email from `<templatesDir>/text/<name>.txt.hbs`, with the
 * partials of `<templatesDir>/text/partials`.
 *
 * Uses a Handlebars instance of its own: the mailer's adapter registers the HTML partials on the
 * global instance under the same names (`footer`, `request-details`…).
 */
export class MailTextRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly textDir: string;
  private readonly compiled = new Map<MailTemplateName, Handlebars.TemplateDelegate>();

  constructor(templatesDir: string) {
    this.textDir = join(templatesDir, 'text');
    const partialsDir = join(this.textDir, 'partials');
    for (const file of readdirSync(partialsDir)) {
      if (file.endsWith(TEXT_EXTENSION)) {
        const source = readFileSync(join(partialsDir, file), 'utf-8');
        this.handlebars.registerPartial(
          file.slice(0, -TEXT_EXTENSION.length),
          this.handlebars.compile(source, TEXT_COMPILE_OPTIONS),
        );
      }
    }
  }

  render<K extends MailTemplateName>(name: K, context: MailContexts[K]): string {
    const rendered = this.template(name)(context);
    return (
      rendered
        .replace(/\r\n?/g, '\n')
        .replace(/[ \t]+$/gm, '')
        .replace(/\n{3,}/g, '\n\n')
        .trim() + '\n'
    );
  }

  private template(name: MailTemplateName): Handlebars.TemplateDelegate {
    let template = this.compiled.get(name);
    if (!template) {
      const source = readFileSync(join(this.textDir, `${name}${TEXT_EXTENSION}`), 'utf-8');
      template = this.handlebars.compile(source, TEXT_COMPILE_OPTIONS);
      this.compiled.set(name, template);
    }
    return template;
  }
}
