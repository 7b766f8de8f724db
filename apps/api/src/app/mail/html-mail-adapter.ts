import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { inline } from '@css-inline/css-inline';
import type { TemplateAdapter } from '@nestjs-modules/mailer';
import Handlebars from 'handlebars';

import { InlinedSkeletons } from './inlined-skeletons';

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
 * inlined. Everything is read and compiled once, at start-up (the mailer's own
 * HandlebarsAdapter globbed the partials folder and re-read and re-registered every partial on
 * each send), and CSS is inlined once per shape of email (see InlinedSkeletons).
 * A Handlebars instance of its own keeps these partials apart from the text renderer's.
 */
export class HtmlMailAdapter implements TemplateAdapter {
  private readonly handlebars = Handlebars.create();
  private readonly templates = new Map<string, Handlebars.TemplateDelegate>();
  private readonly layout: Handlebars.TemplateDelegate;
  private readonly skeletons = new InlinedSkeletons(
    (name, context) => this.render(name, context),
    (html) => inline(html, INLINE_OPTIONS),
  );

  constructor(dirs: HtmlMailDirs) {
    this.handlebars.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
    for (const [name, source] of hbsFiles(dirs.partialsDir)) {
      this.handlebars.registerPartial(name, this.handlebars.compile(source, STRICT));
    }
    for (const [name, source] of hbsFiles(dirs.templateDir)) {
      this.templates.set(name, this.handlebars.compile(source, STRICT));
    }
    this.layout = this.handlebars.compile(readFileSync(dirs.layoutFile, 'utf-8'), STRICT);
  }

  /** The mailer calls this for every message with a `template`; it fills `html`. */
  compile(
    mail: { data: { template?: string; context?: Record<string, unknown>; html?: string } },
    callback: (error?: unknown) => void,
  ): void {
    try {
      mail.data.html = this.skeletons.html(mail.data.template ?? '', mail.data.context ?? {});
    } catch (error) {
      callback(error);
      return;
    }
    callback();
  }

  /** The document before CSS inlining: the template, wrapped in the layout. */
  private render(name: string, context: Record<string, unknown>): string {
    const template = this.templates.get(name);
    if (!template) throw new Error(`Mail template "${name}" does not exist`);
    const body = new this.handlebars.SafeString(template(context));
    return this.layout({ ...context, body });
  }
}

/** `[name, source]` of each `.hbs` file directly in `dir`. */
function hbsFiles(dir: string): [string, string][] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(HBS))
    .map((file) => [file.slice(0, -HBS.length), readFileSync(join(dir, file), 'utf-8')]);
}
