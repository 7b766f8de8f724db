import { MessageFormatElement, TYPE } from '@formatjs/icu-messageformat-parser';
import Handlebars from 'handlebars';

/** Which part of an email a message goes into. */
export type MailPart = 'html' | 'text';

/** Names a context field may have (and so an ICU argument that stands for one). */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * What each tag of a message becomes (MESSAGE_TAGS). In HTML the markup is written into the
 * template before its CSS is inlined, so it is styled like the template's own; in text a tag
 * keeps its content only.
 */
const HTML_TAGS: Record<string, (content: string) => string> = {
  b: (content) => `<strong>${content}</strong>`,
  support: (content) =>
    `<a class="footer-link nowrap" href="mailto:{{supportEmail}}" dir="ltr">${content}</a>`,
  // An address or a code inside right-to-left text keeps its own order.
  ltr: (content) => `<span dir="ltr">${content}</span>`,
};

/**
 * A message of one locale as Handlebars source, to stand in a template where `{{t "key"}}`
 * was (docs/architecture.md §12): text is escaped for its part, an argument `{name}` becomes
 * the field `{{name}}` (filled in, and escaped in HTML, when the email is sent) or what
 * `args` gives for it (a `{{t … name=…}}` parameter, already source), a tag its markup.
 *
 * Only text, arguments and tags: a plural, a select or a number needs the value, which a
 * template does not have until it is sent. Code formats those (MailCatalogs.text) and hands
 * the result to the template as a field (`expiresIn`).
 */
export function messageSource(
  elements: MessageFormatElement[],
  part: MailPart,
  args: Record<string, string> = {},
): string {
  return elements
    .map((element) => {
      switch (element.type) {
        case TYPE.literal:
          return literalSource(element.value, part);
        case TYPE.argument:
          if (args[element.value] !== undefined) return args[element.value];
          if (!FIELD_NAME.test(element.value)) {
            throw new Error(`Mail message argument {${element.value}} is not a field name`);
          }
          return `{{${element.value}}}`;
        case TYPE.tag: {
          const content = messageSource(element.children, part, args);
          const markup = HTML_TAGS[element.value];
          if (!markup) throw new Error(`Mail message tag <${element.value}> is not known`);
          return part === 'html' ? markup(content) : content;
        }
        default: {
          const name = 'value' in element ? element.value : '#';
          throw new Error(
            `Mail templates take text, {arguments} and tags only; format {${name}} in code`,
          );
        }
      }
    })
    .join('');
}

/** Text as template source: escaped for HTML in that part, and never read as a `{{mustache}}`. */
export function literalSource(text: string, part: MailPart): string {
  const escaped = part === 'html' ? Handlebars.Utils.escapeExpression(text) : text;
  return escaped.replace(/\{\{/g, '\\{{');
}
