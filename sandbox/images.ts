/**
 * Product pictures for the demo shop, drawn here as SVG so the demo needs no image files or CDN:
 * a soft background in the product's colour with a simple shape for its kind.
 */
import { createHash } from "node:crypto";

import { escapeHtml } from "./pages/html";

const SHAPES: Record<string, string> = {
  mug:
    '<rect x="70" y="80" width="120" height="130" rx="14"/>' +
    '<path d="M190 110h22a28 28 0 0 1 0 56h-22" fill="none" stroke-width="16"/>',
  tee: '<path d="M80 70l40-20h60l40 20 30 50-35 18-15-20v122H100V118l-15 20-35-18z"/>',
  cap: '<path d="M60 170a90 80 0 0 1 180 0z"/><rect x="140" y="165" width="110" height="18" rx="9"/>',
  bottle: '<rect x="120" y="40" width="60" height="30" rx="6"/><rect x="95" y="70" width="110" height="180" rx="30"/>',
  bag:
    '<rect x="70" y="100" width="160" height="150" rx="10"/>' +
    '<path d="M110 100v-20a40 40 0 0 1 80 0v20" fill="none" stroke-width="14"/>',
  sock: '<path d="M120 40h60v130l40 30a30 30 0 0 1-30 50h-40a40 40 0 0 1-30-30z"/>',
  candle:
    '<rect x="100" y="110" width="100" height="140" rx="8"/><path d="M150 60c15 20 15 35 0 45-15-10-15-25 0-45z"/>',
  notebook: '<rect x="80" y="50" width="140" height="200" rx="8"/><rect x="95" y="50" width="10" height="200"/>',
};

function colourFor(seed: string) {
  const hue = createHash("sha1").update(seed).digest()[0] * (360 / 256);
  return { bg: `hsl(${hue.toFixed(0)} 60% 92%)`, fg: `hsl(${hue.toFixed(0)} 45% 38%)` };
}

export function productSvg(kind: string, title: string): string {
  const { bg, fg } = colourFor(title);
  const shape = SHAPES[kind] ?? SHAPES.bag;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 300" width="600" height="600" role="img" aria-label="${escapeHtml(title)}">
<rect width="300" height="300" fill="${bg}"/><g fill="${fg}" stroke="${fg}">${shape}</g></svg>`;
}

export const PRODUCT_KINDS = Object.keys(SHAPES);
