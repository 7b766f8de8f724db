import { isRtl, Locale } from '@account-recovery/contracts';

import Handlebars from 'handlebars';

import { MailCatalogs } from './mail-catalogs';
import { literalSource, MailPart, messageSource } from './message-source';

/** A missing field throws instead of rendering blank, here and when the email is sent. */
const STRICT: CompileOptions = { strict: true };
/** Plain text: nothing to escape. */
const TEXT: CompileOptions = { strict: true, noEscape: true };
/** Helpers of the first pass; never fields. */
const HELPERS = new Set(['t', 'if', 'concat']);

export interface FieldsLeftSources {
  part: MailPart;
  locale: Locale;
  catalogs: MailCatalogs;
  /** `[name, source]`, used as `{{> name}}`. */
  partials: [string, string][];
  /** The shell a template's output becomes the `{{{body}}}` of (HTML only). */
  layout?: string;
}

/**
 * The first of an email's two passes: a template of one locale rendered with its layout and
 * partials into the source of the email's final template, every field left as its own
 * Handlebars expression (`{{link}}`, `{{#if code}}…{{/if}}`), every `{{t "key"}}` replaced by
 * the locale's message (message-source.ts), the layout's direction settings filled in. What
 * is resolved here is what every email of that template and locale shares; the second pass,
 * at send time, only fills in the values (docs/architecture.md §3 step 5, §12).
 *
 * The layout and partials may use, besides fields: `htmlLang` (the locale), `htmlDir` (`ltr`
 * | `rtl`), `alignStart` and `alignEnd` (`left` | `right`, for `align` attributes and physical
 * CSS properties that email clients understand where they do not understand logical ones),
 * `capsLetterSpacing`.
 */
export class FieldsLeftRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly options: CompileOptions;
  private readonly sources: string[];
  private readonly layout: Handlebars.TemplateDelegate | null;
  private readonly direction: Record<string, string>;

  constructor(private readonly input: FieldsLeftSources) {
    const handlebars = this.handlebars;
    this.options = input.part === 'html' ? STRICT : TEXT;
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
    handlebars.registerHelper('t', (key: unknown, options: Handlebars.HelperOptions) => {
      const args: Record<string, string> = {};
      for (const [name, value] of Object.entries(options.hash as Record<string, unknown>)) {
        args[name] = this.sourceOf(value);
      }
      const ast = input.catalogs.ast(input.locale, String(key));
      return new handlebars.SafeString(messageSource(ast, input.part, args));
    });
    this.sources = input.layout ? [input.layout] : [];
    for (const [name, source] of input.partials) {
      handlebars.registerPartial(name, handlebars.compile(source, this.options));
      this.sources.push(source);
    }
    this.layout = input.layout ? handlebars.compile(input.layout, this.options) : null;
    const rtl = isRtl(input.locale);
    this.direction = {
      htmlLang: input.locale,
      htmlDir: rtl ? 'rtl' : 'ltr',
      alignStart: rtl ? 'right' : 'left',
      alignEnd: rtl ? 'left' : 'right',
      // Spacing pulls the joined letters of Arabic apart; only Latin capitals get it.
      capsLetterSpacing: rtl ? 'normal' : '0.6px',
    };
  }

  /** The source of the email's final template: the document, its fields still to fill in. */
  render(templateSource: string): string {
    const values: Record<string, unknown> = {};
    for (const name of lookedUp([...this.sources, templateSource])) {
      values[name] = new this.handlebars.SafeString(`{{${name}}}`);
    }
    Object.assign(values, this.direction);
    const body = this.handlebars.compile(templateSource, this.options)(values);
    if (!this.layout) return body;
    return this.layout({ ...values, body: new this.handlebars.SafeString(body) });
  }

  /** A `{{t}}` parameter as source: a field or a message stays as it is, a literal is text. */
  private sourceOf(value: unknown): string {
    if (value instanceof this.handlebars.SafeString) return value.toString();
    if (typeof value === 'string') return literalSource(value, this.input.part);
    throw new Error(`Mail templates: a {{t}} parameter is a field, a message or text`);
  }
}

/** The simple names (`{{name}}`, not `{{@data}}`, `{{a.b}}` or a helper) the sources look up. */
function lookedUp(sources: string[]): Set<string> {
  const names = new Set<string>();
  class Collector extends Handlebars.Visitor {
    override PathExpression(path: hbs.AST.PathExpression): void {
      if (!path.data && path.parts.length === 1 && !HELPERS.has(path.parts[0])) {
        names.add(path.parts[0]);
      }
    }
  }
  for (const source of sources) new Collector().accept(Handlebars.parse(source));
  return names;
}

/** The field name in a `{{name}}` left by this renderer; anything else is not a field. */
function fieldOf(value: unknown): string {
  const match = /^\{\{([\w-]+)\}\}$/.exec(String(value));
  if (!match) throw new Error(`Mail templates: {{#if}} takes a field, not ${String(value)}`);
  return match[1];
}
