import { API_VERSION } from '@account-recovery/contracts';

import { VersioningType } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

import { AllExceptionsFilter } from '../common/http/all-exceptions.filter';
import { acceptJsonBodiesOnly } from '../common/http/json-body';
import { sendSecurityHeaders } from '../common/http/security-headers';
import { checkBodiesAgainstRouteSchemas } from '../common/validation/schema-checked-body';
import { requestValidationPipe } from '../common/validation/validation-pipe';
import { AppConfig } from '../config/app-config';
import { apiMessages } from '../i18n/api-messages';
import { recordHttpMetrics } from '../metrics/http-metrics';
import { API_KEY_HEADER } from '../users/service-auth.guard';

/** Everything around the routes: prefix, versioning, validation, errors, headers, CORS, docs. */
export async function configureApp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  await configureHttp(app, config);
  // Production keeps them off (API_DOCS): the document maps every route for a stranger.
  if (config.http.apiDocs) setUpApiDocs(app);
}

/** Prefix, versioning, validation, errors, headers and CORS: what every request goes through. */
export async function configureHttp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  app.setGlobalPrefix('api', { exclude: ['metrics'] });
  recordHttpMetrics(app);
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: API_VERSION.replace('v', '') });
  app.useGlobalPipes(requestValidationPipe());
  checkBodiesAgainstRouteSchemas(app.getHttpAdapter().getInstance());
  // Reads and checks the API's message catalogs: a broken one stops the start here.
  app.useGlobalFilters(new AllExceptionsFilter(config.mail.defaultLocale, apiMessages()));

  // JSON only, UTF-8, uncompressed, not absurdly nested: 415 or 400 before any route runs.
  acceptJsonBodiesOnly(app.getHttpAdapter().getInstance());

  // Security headers, helmet's (common/http/security-headers.ts).
  sendSecurityHeaders(app.getHttpAdapter().getInstance());
  app.enableCors({
    origin: [new URL(config.http.portalUrl).origin],
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['content-type', 'authorization', 'x-request-id'],
    // The portal reads it to say how long to wait after a 429.
    exposedHeaders: ['retry-after'],
    maxAge: 600,
    // An OPTIONS request without Origin is no browser's preflight: @fastify/cors would answer
    // it with a text/plain 400 outside the contract; a 204 without CORS headers grants nothing.
    strictPreflight: false,
  });
}

/** Swagger UI at /api/docs and the OpenAPI document at /api/docs-json. */
function setUpApiDocs(app: NestFastifyApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('account-recovery')
      .setDescription(
        'Password recovery: reset links by email, sign-in, and provisioning for other services. ' +
          'Errors have the shape { statusCode, code, message } (plus errors for VALIDATION_FAILED).',
      )
      .setVersion('1.0')
      .setLicense('MIT', 'https://opensource.org/licenses/MIT')
      .addServer('/', 'This server')
      .addBearerAuth()
      .addApiKey({ type: 'apiKey', in: 'header', name: API_KEY_HEADER }, 'api-key')
      .build(),
  );
  markPublicOperations(document);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}

/**
 * An operation without a security requirement is public (sign-in, recovery, health): say so
 * with `security: []`, as OpenAPI means it, instead of leaving linters to guess.
 */
function markPublicOperations(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (operation && operation.security === undefined) operation.security = [];
    }
  }
}
