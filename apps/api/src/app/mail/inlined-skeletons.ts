/**
 * CSS inlining per email cost ~0.9 ms of CPU (css-inline parses the whole document and its
 * stylesheet), most of the worker's time in a burst. The inlined document only depends on the
 * template and on which fields are present (they decide the `{{#if}}` branches), not on the
 * values themselves: so each such shape is rendered and inlined once with placeholders in
 * place of the values, and every email fills its values into that skeleton.
 *
 * Placeholders are private-use characters, which neither Handlebars nor the HTML serializer
 * escape. Each value goes in escaped the way the serializer writes it where it stands (text or
 * attribute), after the skeleton was parsed, in one pass: a value is never read as a
 * placeholder, and the result is byte for byte what inlining that email would have given.
 */
const OPEN = '\uE000';
const CLOSE = '\uE001';
const PLACEHOLDER = /\uE000(\d+)\uE001/g;
/** Shapes per template are few (a handful of optional fields); this only bounds the map. */
const MAX_SKELETONS = 256;

type Primitive = string | number | bigint | boolean | symbol | null | undefined;

export class InlinedSkeletons {
  private readonly skeletons = new Map<string, string>();

  /**
   * @param render the whole document for a template and context, as it would be sent
   * @param inline the CSS inliner
   */
  constructor(
    private readonly render: (template: string, context: Record<string, unknown>) => string,
    private readonly inline: (html: string) => string,
  ) {}

  html(template: string, context: Record<string, unknown>): string {
    const values: string[] = [];
    const shape: string[] = [template];
    const placeholders: Record<string, Primitive> = {};
    for (const [key, value] of Object.entries(context)) {
      if (!isPrimitive(value)) return this.inline(this.render(template, context));
      if (!value || value === true) {
        // Falsy values and true pick branches: they are part of the shape, as they are.
        placeholders[key] = value;
        shape.push(`${key}=${String(value)}`);
      } else {
        placeholders[key] = `${OPEN}${values.length}${CLOSE}`;
        values.push(asParsed(String(value)));
        shape.push(key);
      }
    }
    const skeleton = this.skeleton(shape.join('\n'), template, placeholders);
    return skeleton.replace(PLACEHOLDER, (_, index: string, offset: number) =>
      insideTag(skeleton, offset)
        ? escapeAttribute(values[Number(index)])
        : escapeText(values[Number(index)]),
    );
  }

  private skeleton(
    shape: string,
    template: string,
    placeholders: Record<string, Primitive>,
  ): string {
    let skeleton = this.skeletons.get(shape);
    if (skeleton === undefined) {
      skeleton = this.inline(this.render(template, placeholders));
      if (this.skeletons.size < MAX_SKELETONS) this.skeletons.set(shape, skeleton);
    }
    return skeleton;
  }
}

function isPrimitive(value: unknown): value is Primitive {
  return value === null || (typeof value !== 'object' && typeof value !== 'function');
}

/** A value as the HTML parser reads it back: line ends as LF, NUL as U+FFFD. */
function asParsed(value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(/\0/g, '\uFFFD');
}

/**
 * In a serialized document every `<` outside a tag is escaped, so a placeholder is inside a
 * tag (an attribute value) when the last `<` before it comes after the last `>`.
 */
function insideTag(html: string, offset: number): boolean {
  return html.lastIndexOf('<', offset) > html.lastIndexOf('>', offset);
}

/** How the HTML serializer escapes text. */
function escapeText(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/\u00a0/g, '&nbsp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** How the HTML serializer escapes attribute values. */
function escapeAttribute(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/\u00a0/g, '&nbsp;')
    .replace(/"/g, '&quot;');
}
