import { saveOwnPicture } from './backdrop';
import { keyTrack } from './pipeline';

/**
 * Everything a page needs to show a keyed camera, in one value the extension's pages hand to the
 * shared components (so the guest call page, which has no virtual background, bundles none of it).
 */
export const keying = { keyTrack, saveOwnPicture };
export type Keying = typeof keying;
