import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { getMetadataStorage } from 'class-validator';

/** For specs: a class the ValidationPipe builds and checks. */
export type DtoClass = new () => unknown;

/** For specs: every class with validation rules in the API's dto folders. */
export function apiDtoClasses(): DtoClass[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\/dto\/[^/]+\.ts$/.test(path) && !path.endsWith('.spec.ts')) files.push(path);
    }
  };
  walk(join(__dirname, '..', '..'));
  return files.flatMap((file) =>
    Object.values(require(file) as Record<string, unknown>).filter(
      (value): value is DtoClass =>
        typeof value === 'function' && dtoProperties(value as DtoClass).length > 0,
    ),
  );
}

/** The properties a DTO class has rules for. */
export function dtoProperties(cls: DtoClass): string[] {
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
  return [...new Set(metadatas.map((metadata) => metadata.propertyName))];
}

/** Deterministic pseudo-random numbers (mulberry32), so a failing case can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ (t + t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
