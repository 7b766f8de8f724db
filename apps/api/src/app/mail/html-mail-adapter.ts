import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { isLocale, LOCALES } from '@account-recovery/contracts';

import { inline } from '@css-inline/css-inline';
import type { TemplateAdapter } from '@nestjs-modules/mailer';
import Handlebars from 'handlebars';

import { FieldsLeftRenderer } from './fields-left-renderer';
import { MailCatalogs } from './mail-catalogs';

const HBS = '.hbs';

/** Every HTML template and partial: a missing field throws instead of rendering blank. */
const STRICT: CompileOptions = { strict: true };

/** CSS from the layout's `<style>` goes inline; media queries stay for clients that read them. */
const INLINE_OPTIONS = { keepAtRules: true, loadRemoteStylesheets: false };

export interface HtmlMailDirs {
  /** `<name>.hbs`, one per email. */
  templateDir: string;
  /** `<name>.hbs`, used as `{{> name}}`. */
  partialsDir: string;
  /** The shell every email is wrapped in; the template's output is its `{{body}}`. */
  layoutFile: string;
  /** The translations `{{t "key"}}` takes its messages from. */
  catalogs: MailCatalogs;
}

/**
 * The HTML part of each email: its template, wrapped in the layout, with the partials, in the
 * locale of the context's `locale`, CSS inlined (docs/architecture.md §3, step 5).
 *
 * CSS inlining parses and serialises the whole document (~0.9 ms per email), so it is done
 * once per template and locale, at start-up: the template is rendered through the layout and
 * partials with every message of the locale written in and every field left as a Handlebars
 * expression (`{{link}}`, `{{#if recipientName}}…`; FieldsLeftRenderer), css-inline puts the
 * layout's rules into the elements' `style` attributes, and the result is compiled as the
 * email's template. A send then only fills in the values, escaped by Handlebars. This holds
 * because the layout's rules select elements by tag and class only, every field stands in
 * text or an attribute value, and every `{{#if}}` inside an element (the rules the layout
 * states; html-mail-adapter.spec.ts compares every template and locale with inlining each
 * email).
 */
export class HtmlMailAdapter implements TemplateAdapter {
  /** `<locale>/<name>` → the email's final template. */
  private readonly templates = new Map<string, Handlebars.TemplateDelegate>();

  constructor(dirs: HtmlMailDirs) {
    const compiler = Handlebars.create();
    const layout = readFileSync(dirs.layoutFile, 'utf-8');
    const partials = hbsFiles(dirs.partialsDir);
    const templates = hbsFiles(dirs.templateDir);
    for (const locale of LOCALES) {
      const renderer = new FieldsLeftRenderer({
        part: 'html',
        locale,
        catalogs: dirs.catalogs,
        partials,
        layout,
      });
      for (const [name, source] of templates) {
        this.templates.set(
          `${locale}/${name}`,
          compiler.compile(inline(renderer.render(source), INLINE_OPTIONS), STRICT),
        );
      }
    }
  }

  /** The mailer calls this for every message with a `template`; it fills `html`. */
  compile(
    mail: { data: { template?: string; context?: Record<string, unknown>; html?: string } },
    callback: (error?: unknown) => void,
  ): void {
    try {
      const name = mail.data.template ?? '';
      const context = mail.data.context ?? {};
      const locale = context['locale'];
      if (!isLocale(locale)) throw new Error(`Mail locale "${String(locale)}" is not supported`);
      const template = this.templates.get(`${locale}/${name}`);
      if (!template) throw new Error(`Mail template "${name}" does not exist`);
      mail.data.html = template(context);
    } catch (error) {
      callback(error);
      return;
    }
    callback();
  }
}

/** `[name, source]` of each `.hbs` file directly in `dir`. */
export function hbsFiles(dir: string, extension = HBS): [string, string][] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(extension))
    .map((file) => [file.slice(0, -extension.length), readFileSync(join(dir, file), 'utf-8')]);
}
