import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';

const require = createRequire(import.meta.url);
// A font shipped as an npm package, so PNGs render the same text on every machine.
const FONT_DIR = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');

/** Options of {@link svgToPng}. */
export interface PngOptions {
  /** Pixel scale over the SVG's size (2 for crisp images on high-density screens). Default 2. */
  scale?: number;
  /** Background colour. Default white. */
  background?: string;
}

/**
 * Rasterises SVG to PNG bytes with resvg (a full SVG renderer), using DejaVu Sans.
 * `writeFileSync('curve.png', svgToPng(svg, { scale: 2 }))`: PNG bytes (they start 0x89 'PNG').
 */
export function svgToPng(svg: string, options: PngOptions = {}): Uint8Array {
  const renderer = new Resvg(svg, {
    background: options.background ?? 'white',
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    font: {
      loadSystemFonts: false,
      fontFiles: ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => join(FONT_DIR, f)),
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
  });
  return renderer.render().asPng();
}
