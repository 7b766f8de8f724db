import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { inline } from '@css-inline/css-inline';
import type { TemplateAdapter } from '@nestjs-modules/mailer';
import Handlebars from 'handlebars';

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
}

/**
 * The HTML part of each email: its template, wrapped in the layout, with the partials, CSS
 * inlined (docs/architecture.md §3, step 4).
 *
 * CSS inlining parses and serialises the whole document (~0.9 ms per email), so it is done
 * once per template, at start-up: the template is rendered through the layout and partials
 * with every field left as a Handlebars expression (`{{link}}`, `{{#if recipientName}}…`),
 * css-inline puts the layout's rules into the elements' `style` attributes, and the result is
 * compiled as the email's template. A send then only fills in the values, escaped by
 * Handlebars. This holds because the layout's rules select elements by tag and class only,
 * every field stands in text or an attribute value, and every `{{#if}}` inside an element
 * (the rules the layout states; html-mail-adapter.spec.ts compares every template with
 * inlining each email).
 *
 * A Handlebars instance of its own keeps these partials apart from the text renderer's.
 */
export class HtmlMailAdapter implements TemplateAdapter {
  private readonly templates = new Map<string, Handlebars.TemplateDelegate>();

  constructor(dirs: HtmlMailDirs) {
    const layout = new LayoutRenderer(dirs);
    const compiler = Handlebars.create();
    for (const [name, source] of hbsFiles(dirs.templateDir)) {
      this.templates.set(
        name,
        compiler.compile(inline(layout.withFieldsLeft(source), INLINE_OPTIONS), STRICT),
      );
    }
  }

  /** The mailer calls this for every message with a `template`; it fills `html`. */
  compile(
    mail: { data: { template?: string; context?: Record<string, unknown>; html?: string } },
    callback: (error?: unknown) => void,
  ): void {
    try {
      const name = mail.data.template ?? '';
      const template = this.templates.get(name);
      if (!template) throw new Error(`Mail template "${name}" does not exist`);
      mail.data.html = template(mail.data.context ?? {});
    } catch (error) {
      callback(error);
      return;
    }
    callback();
  }
}

/**
 * The layout and partials, rendered around a template's source with the fields left as
 * Handlebars expressions: each field's value is its own expression (`{{name}}`), unescaped,
 * and `{{#if field}}…{{else}}…{{/if}}` is written out as it stands instead of choosing a
 * branch. What is resolved here is what every email of a template shares: the layout, the
 * partials and their parameters.
 */
class LayoutRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly layout: Handlebars.TemplateDelegate;
  /** Every name the sources look up, each mapped to its own expression. */
  private readonly fields: Record<string, Handlebars.SafeString> = {};

  constructor(dirs: HtmlMailDirs) {
    const handlebars = this.handlebars;
    handlebars.registerHelper('concat', (...args: unknown[]) =>
      args
        .slice(0, -1)
        .map((arg) => String(arg))
        .join(''),
    );
    handlebars.registerHelper(
      'if',
      function (this: unknown, condition: unknown, options: Handlebars.HelperOptions) {
        const otherwise = options.inverse(this);
        return new handlebars.SafeString(
          `{{#if ${fieldOf(condition)}}}${options.fn(this)}` +
            `${otherwise ? `{{else}}${otherwise}` : ''}{{/if}}`,
        );
      },
    );
    const layoutSource = readFileSync(dirs.layoutFile, 'utf-8');
    const sources = [layoutSource, ...hbsFiles(dirs.templateDir).map(([, source]) => source)];
    for (const [name, source] of hbsFiles(dirs.partialsDir)) {
      handlebars.registerPartial(name, handlebars.compile(source, STRICT));
      sources.push(source);
    }
    for (const name of lookedUp(sources)) {
      this.fields[name] = new handlebars.SafeString(`{{${name}}}`);
    }
    this.layout = handlebars.compile(layoutSource, STRICT);
  }

  /** The whole document of a template, with its fields still to fill in. */
  withFieldsLeft(templateSource: string): string {
    const body = this.handlebars.compile(templateSource, STRICT)(this.fields);
    return this.layout({ ...this.fields, body: new this.handlebars.SafeString(body) });
  }
}

/** The simple names (`{{name}}`, not `{{@data}}` or `{{a.b}}`) the sources look up. */
function lookedUp(sources: string[]): Set<string> {
  const names = new Set<string>();
  class Collector extends Handlebars.Visitor {
    override PathExpression(path: hbs.AST.PathExpression): void {
      if (!path.data && path.parts.length === 1) names.add(path.parts[0]);
    }
  }
  for (const source of sources) new Collector().accept(Handlebars.parse(source));
  return names;
}

/** The field name in a `{{name}}` left by LayoutRenderer; anything else is not a field. */
function fieldOf(value: unknown): string {
  const match = /^\{\{([\w-]+)\}\}$/.exec(String(value));
  if (!match) throw new Error(`Mail templates: {{#if}} takes a field, not ${String(value)}`);
  return match[1];
}

/** `[name, source]` of each `.hbs` file directly in `dir`. */
function hbsFiles(dir: string): [string, string][] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(HBS))
    .map((file) => [file.slice(0, -HBS.length), readFileSync(join(dir, file), 'utf-8')]);
}
