#!/usr/bin/env node
// Draws the extension's toolbar icons (a white key on a blue rounded square) and writes them as
// PNG files to extension/icons/icon-{16,32,48,128}.png. Run once when the design changes; the
// PNGs are committed. Plain Node: a tiny rasteriser with 4x4 supersampling and a PNG encoder.
import { writeFileSync, mkdirSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const outDir = fileURLToPath(new URL('../extension/icons/', import.meta.url));
const SIZES = [16, 32, 48, 128];
const BACKGROUND = [31, 95, 168];
const FOREGROUND = [255, 255, 255];

/** Coverage of one point in unit coordinates: 'bg', 'fg' or null (transparent). */
function shade(x, y) {
  const inRoundedSquare = (() => {
    const r = 0.2;
    const cx = Math.min(Math.max(x, r), 1 - r);
    const cy = Math.min(Math.max(y, r), 1 - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r && x >= 0 && x <= 1 && y >= 0 && y <= 1;
  })();
  if (!inRoundedSquare) return null;
  const ring = Math.hypot(x - 0.33, y - 0.5);
  if (ring <= 0.18 && ring >= 0.085) return 'fg';
  if (x >= 0.45 && x <= 0.84 && y >= 0.455 && y <= 0.56) return 'fg'; // shaft
  if (x >= 0.66 && x <= 0.73 && y >= 0.56 && y <= 0.67) return 'fg'; // first tooth
  if (x >= 0.77 && x <= 0.84 && y >= 0.56 && y <= 0.71) return 'fg'; // second tooth
  return 'bg';
}

function render(size) {
  const samples = 4;
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const kind = shade((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size);
          if (!kind) continue;
          const color = kind === 'fg' ? FOREGROUND : BACKGROUND;
          r += color[0]; g += color[1]; b += color[2]; a += 1;
        }
      }
      const i = (py * size + px) * 4;
      // Colour averaged over covered samples (straight alpha), alpha = coverage.
      pixels[i] = a ? Math.round(r / a) : 0;
      pixels[i + 1] = a ? Math.round(g / a) : 0;
      pixels[i + 2] = a ? Math.round(b / a) : 0;
      pixels[i + 3] = Math.round((a / (samples * samples)) * 255);
    }
  }
  return pixels;
}


function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(outDir, { recursive: true });
  for (const size of SIZES) {
    const file = `${outDir}icon-${size}.png`;
    writeFileSync(file, encodePng(size, render(size)));
    console.log(`[icons] ${file}`);
  }
}
