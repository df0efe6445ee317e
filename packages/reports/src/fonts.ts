import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The DejaVu Sans faces PNG text is drawn with (the build copies them into dist/fonts). */
export const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'] as const;

/**
 * The folder holding {@link FONT_FILES}: dist/fonts next to the built module in a published
 * package, else the dejavu-fonts-ttf development dependency (tests run from src/).
 */
export function fontDir(): string {
  const shipped = fileURLToPath(new URL('./fonts/', import.meta.url));
  if (existsSync(join(shipped, FONT_FILES[0]))) return shipped;
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
}
