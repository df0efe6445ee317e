import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { FONT_FILES, fontDir } from './fonts.js';

// A font shipped with the package, so PNGs render the same text on every machine.
const FONT_DIR = fontDir();

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
      fontFiles: FONT_FILES.map((f) => join(FONT_DIR, f)),
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
  });
  return renderer.render().asPng();
}
