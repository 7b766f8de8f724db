import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ValidateBy, ValidationArguments } from 'class-validator';

import { fieldMessage } from '../common/validation/field-messages';
import { IsOptional } from '../common/validation/validators';

/**
 * A date (`2026-12-01`, UTC midnight) or a date-time with its zone (`2026-12-01T08:00:00Z`,
 * `…+01:00`). A time without a zone is refused: whose 08:00 would it be? Years 1000 to 9999
 * only, so every accepted value is a real instant for JavaScript and PostgreSQL alike (a
 * bare `Date.parse` takes "2026-02-30" and years PostgreSQL refuses).
 */
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](?:0\d|1[0-4]):[0-5]\d))?$/;

export function parseInstant(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const match = INSTANT.exec(value);
  if (!match) return null;
  const [year, month, day, hour = 0, minute = 0, second = 0] = match
    .slice(1, 7)
    .map((part) => (part === undefined ? undefined : Number(part)));
  if (year === undefined || month === undefined || day === undefined || year < 1000) return null;
  const fields = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const real =
    fields.getUTCMonth() === month - 1 &&
    fields.getUTCDate() === day &&
    fields.getUTCHours() === hour &&
    fields.getUTCMinutes() === minute &&
    fields.getUTCSeconds() === second;
  if (!real) return null;
  // The fields are a real calendar time; Date applies the zone (and a date alone is UTC).
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? null : instant;
}

/** An optional query parameter holding an instant (see parseInstant); stays a string. */
export function InstantField(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description, format: 'date-time', example: '2026-12-01T00:00:00Z' }),
    IsOptional(),
    ValidateBy({
      name: 'isInstant',
      validator: {
        validate: (value: unknown) => parseInstant(value) !== null,
        defaultMessage: fieldMessage('field.instant'),
      },
    }),
  );
}

/** For the later of two instants: refused when it comes before `earlier` (both valid). */
export function NotBefore(earlier: string): PropertyDecorator {
  return ValidateBy({
    name: 'notBefore',
    constraints: [earlier],
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => {
        const start = parseInstant((args?.object as Record<string, unknown>)[earlier]);
        const end = parseInstant(value);
        return start === null || end === null || start.getTime() <= end.getTime();
      },
      defaultMessage: fieldMessage('field.not-before', () => ({ other: earlier })),
    },
  });
}
