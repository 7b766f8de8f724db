import { ERROR_CODES } from '@account-recovery/contracts';

import {
  Controller,
  Get,
  HttpStatus,
  ServiceUnavailableException,
  VERSION_NEUTRAL,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';

import { ApiErrorResponses } from '../common/http/api-error-responses';
import { ApiException } from '../common/http/api-exception';
import { QueueHealthIndicator } from './queue-health';
import { SchemaHealthIndicator } from './schema-health';

/** Each check answers within this, so a probe gets its 503 before the orchestrator's timeout. */
const CHECK_TIMEOUT_MS = 1500;

@ApiTags('health')
@Controller({ path: 'health', version: VERSION_NEUTRAL })
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly queue: QueueHealthIndicator,
    private readonly schema: SchemaHealthIndicator,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up (no dependencies checked)' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  // Documented here: Terminus's own 503 schema is not what this endpoint answers.
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOkResponse({
    description: 'Every check is up',
    schema: {
      type: 'object',
      properties: {
        status: { type: 'string', example: 'ok' },
        info: {
          type: 'object',
          example: {
            database: { status: 'up' },
            queue: { status: 'up' },
            schema: { status: 'up' },
          },
        },
        details: { type: 'object' },
      },
    },
  })
  @ApiErrorResponses(HttpStatus.SERVICE_UNAVAILABLE)
  @ApiOperation({
    summary:
      'Ready for traffic: the database answers, its schema is migrated and the job queue is started (503 otherwise)',
  })
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.database.pingCheck('database', { timeout: CHECK_TIMEOUT_MS }),
        () => this.queue.isHealthy('queue', CHECK_TIMEOUT_MS),
        () => this.schema.isHealthy('schema', CHECK_TIMEOUT_MS),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      throw notReady(error.getResponse() as HealthCheckResult);
    }
  }
}

/**
 * "Not ready" in the contract's error shape, naming the checks that failed. Statuses only:
 * the checks' own messages can quote connection errors (hosts, ports). The check names are
 * identifiers and stay as they are in every language.
 */
function notReady(result: HealthCheckResult): ApiException {
  const checks = Object.fromEntries(
    Object.entries(result.details).map(([name, check]) => [name, check.status]),
  );
  const down = Object.keys(checks).filter((name) => checks[name] !== 'up');
  return new ApiException(
    HttpStatus.SERVICE_UNAVAILABLE,
    ERROR_CODES.SERVICE_UNAVAILABLE,
    { key: 'service.not-ready', values: { checks: down.join(', ') } },
    { checks },
  );
}
