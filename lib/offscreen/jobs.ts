/**
 * The jobs the one offscreen document hosts. Each job has its own verbs (`<job>/*` in the
 * message protocol), its own liveness port, and holds a lease on the document while it works.
 */
export type OffscreenJob = 'recorder' | 'snapshot';

/** A job keeps a port of this name open while it works; its closing tells the service worker the job died. */
export function jobPortName(job: OffscreenJob): string {
  return `offscreen-job:${job}`;
}

export function jobOfPort(name: string): OffscreenJob | null {
  return name === jobPortName('recorder') ? 'recorder' : null;
}
