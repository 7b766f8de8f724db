import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the `.hbs` files are at run time: `assets/mail` next to the bundle (the build
 * copies `src/assets`), or next to the sources when tests run them through ts-jest.
 * Never a path into `src/` of a deployed build.
 */
export function resolveMailTemplatesDir(): string {
  const candidates = [
    join(__dirname, 'assets', 'mail'),
    join(__dirname, '..', '..', 'assets', 'mail'),
  ];
  const found = candidates.find((dir) => existsSync(join(dir, 'templates')));
  if (!found) throw new Error('Mail templates not found next to the application bundle');
  return found;
}
