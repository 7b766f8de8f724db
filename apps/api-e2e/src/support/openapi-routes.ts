/** One field of a request body or one query parameter, as the OpenAPI document describes it. */
export interface FieldSpec {
  name: string;
  type: string;
  example: unknown;
  required: boolean;
}

/** What a generated request needs to know about one operation of the API. */
export interface RouteSpec {
  method: string;
  /** The path with `{name}` placeholders, e.g. `/api/v1/users/{id}`. */
  template: string;
  pathParams: string[];
  query: FieldSpec[];
  /** The JSON body's fields, or null when the operation takes no body. */
  body: FieldSpec[] | null;
  auth: 'api-key' | 'bearer' | 'none';
}

interface SchemaObject {
  $ref?: string;
  type?: string;
  example?: unknown;
  properties?: Record<string, SchemaObject>;
  required?: string[];
}

interface Operation {
  parameters?: { in: string; name: string; required?: boolean; schema?: SchemaObject }[];
  requestBody?: { content?: Record<string, { schema?: SchemaObject }> };
  security?: Record<string, unknown>[];
}

interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, SchemaObject> };
}

/**
 * Every operation of the document the API serves at /api/docs-json, so a route added to the
 * API is generated for without touching the suite.
 */
export async function routesOf(baseUrl: string): Promise<RouteSpec[]> {
  const response = await fetch(`${baseUrl}/api/docs-json`);
  if (!response.ok) throw new Error(`/api/docs-json answered ${response.status}`);
  return routesIn((await response.json()) as OpenApiDocument);
}

export function routesIn(document: OpenApiDocument): RouteSpec[] {
  const schemas = document.components?.schemas ?? {};
  const resolve = (schema: SchemaObject | undefined): SchemaObject | undefined =>
    schema?.$ref ? schemas[schema.$ref.replace('#/components/schemas/', '')] : schema;
  const routes: RouteSpec[] = [];
  for (const [template, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const parameters = operation.parameters ?? [];
      const bodySchema = resolve(operation.requestBody?.content?.['application/json']?.schema);
      const schemes = (operation.security ?? []).flatMap((entry) => Object.keys(entry));
      routes.push({
        method: method.toUpperCase(),
        template,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: parameters
          .filter((p) => p.in === 'query')
          .map((p) => ({
            name: p.name,
            type: p.schema?.type ?? 'string',
            example: p.schema?.example,
            required: p.required === true,
          })),
        body: bodySchema
          ? Object.entries(bodySchema.properties ?? {}).map(([name, property]) => ({
              name,
              type: property.type ?? 'string',
              example: property.example,
              required: bodySchema.required?.includes(name) === true,
            }))
          : null,
        auth: schemes.includes('api-key')
          ? 'api-key'
          : schemes.includes('bearer')
            ? 'bearer'
            : 'none',
      });
    }
  }
  return routes;
}

/** The route's path with each `{name}` replaced by what `value` gives (already encoded). */
export function fillPath(route: RouteSpec, value: (name: string) => string): string {
  return route.template.replace(/\{([^}]+)\}/g, (_, name: string) => value(name));
}
