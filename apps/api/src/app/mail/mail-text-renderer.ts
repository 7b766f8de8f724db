import { join } from 'node:path';

import { isLocale, LOCALES } from '@account-recovery/contracts';

import Handlebars from 'handlebars';

import { FieldsLeftRenderer } from './fields-left-renderer';
import { hbsFiles } from './html-mail-adapter';
import { MailCatalogs } from './mail-catalogs';
import { MailTemplateName, RenderedMailContext } from './mail-templates';

const TEXT_EXTENSION = '.txt.hbs';

/** Plain text: nothing to escape, and a missing field throws like in the HTML templates. */
const TEXT_COMPILE_OPTIONS: CompileOptions = { strict: true, noEscape: true };

/**
 * Renders the plain-text part of each email from `<templatesDir>/text/<name>.txt.hbs`, with the
 * partials of `<templatesDir>/text/partials`, in the context's locale. Like the HTML part, each
 * template is first rendered per locale with its messages written in (FieldsLeftRenderer), so
 * a send only fills in values.
 *
 * Uses a Handlebars instance of its own: the mailer's adapter registers the HTML partials on the
 * global instance under the same names (`footer`, `request-details`…).
 */
export class MailTextRenderer {
  private readonly handlebars = Handlebars.create();
  /** `<locale>/<name>` → the text part's final template. */
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();

  constructor(templatesDir: string, catalogs: MailCatalogs) {
    const textDir = join(templatesDir, 'text');
    const partials = hbsFiles(join(textDir, 'partials'), TEXT_EXTENSION);
    const templates = hbsFiles(textDir, TEXT_EXTENSION);
    for (const locale of LOCALES) {
      const renderer = new FieldsLeftRenderer({ part: 'text', locale, catalogs, partials });
      for (const [name, source] of templates) {
        this.compiled.set(
          `${locale}/${name}`,
          this.handlebars.compile(renderer.render(source), TEXT_COMPILE_OPTIONS),
        );
      }
    }
  }

  render<K extends MailTemplateName>(name: K, context: RenderedMailContext<K>): string {
    const locale: unknown = context.locale;
    if (!isLocale(locale)) throw new Error(`Mail locale "${String(locale)}" is not supported`);
    const template = this.compiled.get(`${locale}/${name}`);
    if (!template) throw new Error(`Mail template "${name}" does not exist`);
    const rendered = template(context);
    return (
      rendered
        .replace(/\r\n?/g, '\n')
        .replace(/[ \t]+$/gm, '')
        .replace(/\n{3,}/g, '\n\n')
        .trim() + '\n'
    );
  }
}
