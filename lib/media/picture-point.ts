/**
 * Where a click on a video element falls in its picture, as 0–1 across and down the picture
 * itself: the element shows the picture whole (object-fit: contain), letterboxed, and maybe
 * mirrored. Null for a click on the bars beside the picture.
 */
export function pointInPicture(
  click: { x: number; y: number },
  box: { width: number; height: number },
  picture: { width: number; height: number },
  mirrored: boolean,
): { x: number; y: number } | null {
  if (!picture.width || !picture.height || !box.width || !box.height) return null;
  const scale = Math.min(box.width / picture.width, box.height / picture.height);
  const shownWidth = picture.width * scale;
  const shownHeight = picture.height * scale;
  const x = (click.x - (box.width - shownWidth) / 2) / shownWidth;
  const y = (click.y - (box.height - shownHeight) / 2) / shownHeight;
  if (x < 0 || x > 1 || y < 0 || y > 1) return null;
  return { x: mirrored ? 1 - x : x, y };
}
