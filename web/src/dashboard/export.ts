/** Hands `blob` to the browser as a download named `fileName`. */
export function download(blob: Blob, fileName: string): void {
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** The presentation properties a chart's SVG takes from style sheets and CSS variables. */
const PAINTED = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'visibility',
] as const;

/**
 * A picture of a chart: its SVG copied with every colour and font written in (the page's style
 * sheets and Mantine's CSS variables do not travel with it), drawn on a white canvas at twice its
 * size under its title and legend (`[name, colour]`, drawn beside the SVG on the page), as a PNG.
 * No package: the browser's own XMLSerializer, Image and canvas.
 */
export async function svgToPng(
  svg: SVGSVGElement,
  title: string,
  legend: readonly (readonly [string, string])[] = [],
): Promise<Blob> {
  const { width, height } = svg.getBoundingClientRect();
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...svg.querySelectorAll('*')];
  const copies = [copy, ...copy.querySelectorAll('*')];
  originals.forEach((original, i) => {
    const style = getComputedStyle(original);
    const target = copies[i] as SVGElement;
    for (const property of PAINTED) target.style.setProperty(property, style.getPropertyValue(property));
  });
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  copy.style.setProperty('overflow', 'visible');
  const xml = new XMLSerializer().serializeToString(copy);
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(xml)}`;
  await image.decode();
  const [margin, heading, scale] = [16, legend.length ? 52 : 32, 2];
  const font = getComputedStyle(document.body).fontFamily;
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil((width + 2 * margin) * scale);
  canvas.height = Math.ceil((height + heading + margin) * scale);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This browser cannot draw the picture.');
  context.scale(scale, scale);
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width + 2 * margin, height + heading + margin);
  context.fillStyle = '#212529';
  context.font = `600 15px ${font}`;
  context.fillText(title, margin, 22);
  context.font = `12px ${font}`;
  let x = margin;
  for (const [name, colour] of legend) {
    context.fillStyle = colour;
    context.beginPath();
    context.arc(x + 6, 40, 6, 0, 2 * Math.PI);
    context.fill();
    context.fillStyle = '#212529';
    context.fillText(name, x + 16, 44);
    x += 32 + context.measureText(name).width;
  }
  context.drawImage(image, margin, heading, width, height);
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('The picture could not be made.'))),
      'image/png',
    ),
  );
}

/** The legend a chart draws beside its SVG: each series' name and colour, in order. */
export function legendOf(figure: Element): [string, string][] {
  return [...figure.querySelectorAll('.recharts-legend-wrapper p')].map((name) => {
    const swatch = name.previousElementSibling;
    const paint = swatch?.querySelector('[class*="colorOverlay"]') ?? swatch;
    return [name.textContent ?? '', paint ? getComputedStyle(paint).backgroundColor : '#868e96'];
  });
}
