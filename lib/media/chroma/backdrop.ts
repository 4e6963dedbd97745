/**
 * What shows behind the person: a colour, one of the pictures that come with the product
 * (public/backgrounds/), or the person's own picture, kept in the extension's storage (OPFS).
 * Pictures are loaded as an ImageBitmap for the keyer, which fits them to the frame.
 */
export const BACKDROP_PICTURES = ['sky', 'dusk', 'shelves'] as const;
/**
 * What shows where the screen was: a colour, a picture, or nothing ('transparent': where the
 * output keeps alpha, the Studio's preview and snapshots; elsewhere the colour). Or 'blur': no
 * screen at all — the person is found in the picture and the room behind them blurred (../blur/).
 */
export type BackdropChoice = 'colour' | (typeof BACKDROP_PICTURES)[number] | 'own' | 'transparent' | 'blur';

/** A colour as settings keep it (#rrggbb) and as the keyer takes it (0–255 each). */
export const rgbOf = (hex: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
export const hexOf = (rgb: readonly number[]): string => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;

const OWN_FOLDER = 'backgrounds';
const OWN_FILE = 'own-picture';

/** Keeps the person's own picture (one at a time), replacing the last. */
export async function saveOwnPicture(picture: Blob): Promise<void> {
  // Checked before it is kept: a file that is no picture is refused here, not at every start.
  (await createImageBitmap(picture)).close();
  const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle(OWN_FOLDER, { create: true });
  const writable = await (await folder.getFileHandle(OWN_FILE, { create: true })).createWritable();
  await writable.write(picture);
  await writable.close();
}

/** The picture for a choice, ready for the keyer; null for a colour, or when the picture is gone. */
export async function loadBackdrop(choice: BackdropChoice): Promise<ImageBitmap | null> {
  if (choice === 'colour' || choice === 'transparent' || choice === 'blur') return null;
  try {
    if (choice === 'own') {
      const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle(OWN_FOLDER);
      return await createImageBitmap(await (await folder.getFileHandle(OWN_FILE)).getFile());
    }
    // An SVG decodes through an image element (createImageBitmap takes no SVG blob).
    const image = new Image();
    image.src = `/backgrounds/${choice}.svg`;
    await image.decode();
    return await createImageBitmap(image, { resizeWidth: 1920, resizeHeight: 1080 });
  } catch {
    return null;
  }
}

/**
 * The picture fitted to a width × height frame (covering it, cropped from the middle), as RGBA;
 * made again only when the picture or the frame's size changes.
 */
export function backdropFitter(): (picture: ImageBitmap, width: number, height: number) => Uint8ClampedArray {
  let last: { picture: ImageBitmap; width: number; height: number; pixels: Uint8ClampedArray } | null = null;
  return (picture, width, height) => {
    if (last?.picture === picture && last.width === width && last.height === height) return last.pixels;
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d')!;
    const scale = Math.max(width / picture.width, height / picture.height);
    const w = picture.width * scale;
    const h = picture.height * scale;
    context.drawImage(picture, (width - w) / 2, (height - h) / 2, w, h);
    last = { picture, width, height, pixels: context.getImageData(0, 0, width, height).data };
    return last.pixels;
  };
}
