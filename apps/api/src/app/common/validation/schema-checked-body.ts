import { createParamDecorator, ExecutionContext, PipeTransform, Type } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify';

import { isEmailFieldInput } from './email-field';
import { requestValidationPipe } from './validation-pipe';

/** The `format` of an email field in a route's JSON schema (email-field.ts). */
export const EMAIL_FIELD_FORMAT = 'email-field';

/**
 * Fastify's Ajv for route schemas (docs/architecture.md §3): it must only look. Fastify's
 * defaults coerce types (`5` becomes `"5"`) and strip unknown properties, which would change
 * the body the fallback then judges, and so its answer.
 */
export const SCHEMA_CHECK_SERVER_OPTIONS = {
  ajv: {
    customOptions: {
      coerceTypes: false,
      removeAdditional: false,
      useDefaults: false,
      formats: { [EMAIL_FIELD_FORMAT]: { type: 'string', validate: isEmailFieldInput } },
    },
  },
} satisfies Pick<FastifyServerOptions, 'ajv'>;

/**
 * A route's body schema (`@RouteSchema({ body })`) is a fast path, not a second set of rules:
 * Fastify checks the body with the compiled schema and, instead of answering a refusal
 * itself, notes it on the request (`attachValidation`) for SchemaCheckedBody.
 */
export function checkBodiesAgainstRouteSchemas(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route) => {
    if (route.schema?.body) route.attachValidation = true;
  });
}

const fallback = requestValidationPipe();

class SchemaCheckedBodyPipe<T extends object> implements PipeTransform<FastifyRequest, unknown> {
  constructor(
    private readonly dto: Type<T>,
    private readonly fromAccepted: (body: unknown) => T,
  ) {}

  transform(request: FastifyRequest): T | Promise<unknown> {
    if (!request.validationError) return this.fromAccepted(request.body);
    return fallback.transform(request.body, { type: 'body', metatype: this.dto });
  }
}

const requestOf = createParamDecorator(
  (_data: unknown, context: ExecutionContext): FastifyRequest =>
    context.switchToHttp().getRequest<FastifyRequest>(),
);

/**
 * The body of a route with a body schema, as the DTO. A body the schema accepted becomes the
 * DTO through `fromAccepted`, with no class-transformer or class-validator run (about a tenth
 * of the API's CPU on the forgot-password route). Any other body goes through the same
 * ValidationPipe as every route, which answers it exactly as before, so the schema must
 * accept only bodies the DTO accepts (and `fromAccepted` build the same DTO); refusing more
 * only costs speed. The route's OpenAPI body stays the DTO's (`@ApiBody`).
 */
export function SchemaCheckedBody<T extends object>(
  dto: Type<T>,
  fromAccepted: (body: unknown) => T,
): ParameterDecorator {
  return requestOf(new SchemaCheckedBodyPipe(dto, fromAccepted));
}
